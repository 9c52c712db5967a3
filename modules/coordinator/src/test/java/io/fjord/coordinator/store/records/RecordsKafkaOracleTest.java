package io.fjord.coordinator.store.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fjord.protocol.message.Message;
import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.api.Test;

/**
 * The generated classes of the {@code __consumer_offsets} records against Kafka's own (the group
 * coordinator's generated classes), every version byte for byte: Kafka writes, Fjord reads and
 * writes the same bytes (unknown tags included in flexible versions), Kafka reads them back equal.
 */
class RecordsKafkaOracleTest {

    private static ByteBuffer kafkaBytes(org.apache.kafka.common.protocol.Message message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.flip();
    }

    private static <M extends Message> void agree(org.apache.kafka.common.protocol.Message kafka, Supplier<M> fjord,
            short version) {
        ByteBuffer bytes = kafkaBytes(kafka, version);
        WireReader in = new WireReader(bytes.duplicate());
        M read = fjord.get();
        read.read(in, version);
        assertEquals(0, in.remaining(), kafka.getClass().getSimpleName() + " v" + version + " fills the bytes");
        WireWriter out = new WireWriter();
        read.write(out, version);
        ByteBuffer written = out.finishAsBuffer();
        assertEquals(bytes, written, kafka.getClass().getSimpleName() + " v" + version);
    }

    @Test
    void keysAgree() {
        agree(new org.apache.kafka.coordinator.group.generated.OffsetCommitKey().setGroup("g").setTopic("t")
                .setPartition(3), OffsetCommitKey::new, (short) 0);
        agree(new org.apache.kafka.coordinator.group.generated.GroupMetadataKey().setGroup("group-\u00e6"),
                GroupMetadataKey::new, (short) 0);
    }

    @Test
    void offsetCommitValuesAgreeInEveryVersion() {
        for (short v = 0; v <= 4; v++) {
            var kafka = new org.apache.kafka.coordinator.group.generated.OffsetCommitValue().setOffset(42)
                    .setLeaderEpoch(v >= 3 ? 7 : -1).setMetadata("meta").setCommitTimestamp(1_700_000_000_000L)
                    .setExpireTimestamp(v == 1 ? 1_800_000_000_000L : -1);
            if (v >= 4) {
                kafka.setTopicId(new Uuid(5, 6));
                kafka.unknownTaggedFields().add(new RawTaggedField(9, new byte[] {1, 2, 3}));
            }
            agree(kafka, OffsetCommitValue::new, v);
        }
    }

    @Test
    void groupMetadataValuesAgreeInEveryVersion() {
        for (short v = 0; v <= 4; v++) {
            var kafka = new org.apache.kafka.coordinator.group.generated.GroupMetadataValue().setProtocolType("consumer")
                    .setGeneration(12).setProtocol(v % 2 == 0 ? "range" : null).setLeader("m-1")
                    .setCurrentStateTimestamp(v >= 2 ? 99L : -1L);
            kafka.members().add(new org.apache.kafka.coordinator.group.generated.GroupMetadataValue.MemberMetadata()
                    .setMemberId("m-1").setGroupInstanceId(v >= 3 ? "static-1" : null).setClientId("c")
                    .setClientHost("/127.0.0.1").setRebalanceTimeout(v >= 1 ? 30_000 : -1).setSessionTimeout(10_000)
                    .setSubscription(new byte[] {0, 3, 1}).setAssignment(new byte[] {}));
            if (v >= 4) {
                kafka.unknownTaggedFields().add(new RawTaggedField(4, new byte[] {7}));
            }
            agree(kafka, GroupMetadataValue::new, v);
        }
    }
}
