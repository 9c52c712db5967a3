package io.fjord.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fjord.api.TopicPartition;
import io.fjord.coordinator.CommittedOffset;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The records of {@code __consumer_offsets} byte for byte against layouts written out by hand
 * from Kafka's schema files (OffsetCommitKey/Value, GroupMetadataKey/Value in the group
 * coordinator's message definitions), and the decoder against hostile bytes.
 */
class CoordinatorRecordsTest {

    /** Hand-built big-endian bytes, field by field as the schema lists them. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final DataOutputStream data = new DataOutputStream(out);

        Bytes i8(int v) throws IOException {
            data.writeByte(v);
            return this;
        }

        Bytes i16(int v) throws IOException {
            data.writeShort(v);
            return this;
        }

        Bytes i32(int v) throws IOException {
            data.writeInt(v);
            return this;
        }

        Bytes i64(long v) throws IOException {
            data.writeLong(v);
            return this;
        }

        Bytes str(String s) throws IOException {
            if (s == null) {
                return i16(-1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i16(b.length);
            data.write(b);
            return this;
        }

        /** A compact string: unsigned varint length + 1 (one byte suffices here), then the bytes. */
        Bytes compactStr(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i8(b.length + 1);
            data.write(b);
            return this;
        }

        Bytes bytes(byte[] b) throws IOException {
            i32(b.length);
            data.write(b);
            return this;
        }

        byte[] get() {
            return out.toByteArray();
        }
    }

    private static final TopicPartition TP = new TopicPartition("orders", 3);

    @Test
    void offsetCommitKeyIsTypeOneThenGroupTopicPartition() throws IOException {
        byte[] expected = new Bytes().i16(1).str("billing").str("orders").i32(3).get();
        assertArrayEquals(expected, CoordinatorRecords.offsetCommitKey("billing", TP));
    }

    @Test
    void offsetCommitValueIsWrittenAsVersion3() throws IOException {
        byte[] expected = new Bytes().i16(3).i64(42L).i32(7).str("meta").i64(1_700_000_000_123L).get();
        assertArrayEquals(expected, CoordinatorRecords.offsetCommitValue(new CommittedOffset(42, 7, "meta",
                1_700_000_000_123L)));
    }

    @Test
    void groupMetadataKeyAndValueVersion3() throws IOException {
        assertArrayEquals(new Bytes().i16(2).str("billing").get(), CoordinatorRecords.groupMetadataKey("billing"));
        GroupMetadataValue value = new GroupMetadataValue("consumer", 5, "range", "m-1", 1_700_000_000_000L, List.of(
                new GroupMetadataValue.MemberMetadata("m-1", null, "c1", "/127.0.0.1", 30_000, 10_000,
                        new byte[] {1, 2}, new byte[] {3}),
                new GroupMetadataValue.MemberMetadata("m-2", "static-2", "c2", "/10.0.0.2", 60_000, 45_000,
                        new byte[0], new byte[] {4, 5, 6})));
        byte[] expected = new Bytes().i16(3).str("consumer").i32(5).str("range").str("m-1").i64(1_700_000_000_000L)
                .i32(2)
                .str("m-1").str(null).str("c1").str("/127.0.0.1").i32(30_000).i32(10_000)
                .bytes(new byte[] {1, 2}).bytes(new byte[] {3})
                .str("m-2").str("static-2").str("c2").str("/10.0.0.2").i32(60_000).i32(45_000)
                .bytes(new byte[0]).bytes(new byte[] {4, 5, 6})
                .get();
        byte[] encoded = CoordinatorRecords.groupMetadataValue(value);
        assertArrayEquals(expected, encoded);

        var decoded = assertInstanceOf(CoordinatorRecords.GroupMetadata.class, CoordinatorRecords.decode(
                ByteBuffer.wrap(CoordinatorRecords.groupMetadataKey("billing")), ByteBuffer.wrap(encoded)));
        assertEquals("billing", decoded.groupId());
        GroupMetadataValue back = decoded.value();
        assertEquals(5, back.generation());
        assertEquals("range", back.protocol());
        assertEquals(2, back.members().size());
        assertEquals("static-2", back.members().get(1).groupInstanceId());
        assertArrayEquals(new byte[] {4, 5, 6}, back.members().get(1).assignment());
        assertEquals(45_000, back.members().get(1).sessionTimeout());
    }

    @Test
    void olderAndFlexibleValueVersionsDecode() throws IOException {
        ByteBuffer key = ByteBuffer.wrap(new Bytes().i16(0).str("g").str("orders").i32(3).get());
        // Version 0: offset, metadata, commit timestamp.
        CommittedOffset v0 = offset(key, new Bytes().i16(0).i64(10).str("a").i64(100).get());
        assertEquals(new CommittedOffset(10, -1, "a", 100), v0);
        // Version 1 carries an expire timestamp, which is read and dropped.
        CommittedOffset v1 = offset(key, new Bytes().i16(1).i64(11).str("b").i64(101).i64(999).get());
        assertEquals(new CommittedOffset(11, -1, "b", 101), v1);
        // Version 4 is flexible: compact string, then an empty tagged-field section.
        CommittedOffset v4 = offset(key, new Bytes().i16(4).i64(12).i32(2).compactStr("c").i64(102).i8(0).get());
        assertEquals(new CommittedOffset(12, 2, "c", 102), v4);
    }

    private static CommittedOffset offset(ByteBuffer key, byte[] value) {
        var commit = assertInstanceOf(CoordinatorRecords.OffsetCommit.class,
                CoordinatorRecords.decode(key, ByteBuffer.wrap(value)));
        assertEquals(TP, commit.partition());
        return commit.offset();
    }

    @Test
    void tombstonesAndRecordTypesOfOtherGroupKinds() throws IOException {
        var commit = assertInstanceOf(CoordinatorRecords.OffsetCommit.class, CoordinatorRecords.decode(
                ByteBuffer.wrap(CoordinatorRecords.offsetCommitKey("g", TP)), null));
        assertNull(commit.offset());
        var group = assertInstanceOf(CoordinatorRecords.GroupMetadata.class, CoordinatorRecords.decode(
                ByteBuffer.wrap(CoordinatorRecords.groupMetadataKey("g")), null));
        assertNull(group.value());
        // Type 3 is a KIP-848 ConsumerGroupMetadataKey: not ours to keep.
        assertNull(CoordinatorRecords.decode(ByteBuffer.wrap(new Bytes().i16(3).str("g").get()),
                ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 0, 1})));
    }

    @Test
    void hostileBytesEndInCorruptMessage() throws IOException {
        ByteBuffer key = ByteBuffer.wrap(CoordinatorRecords.offsetCommitKey("g", TP));
        byte[] value = CoordinatorRecords.offsetCommitValue(new CommittedOffset(1, 1, "m", 1));
        for (int cut = 0; cut < value.length; cut++) {
            byte[] truncated = Arrays.copyOf(value, cut);
            assertCorrupt(key, ByteBuffer.wrap(truncated));
        }
        assertCorrupt(key, ByteBuffer.wrap(new Bytes().i16(9).i64(1).get()));
        assertCorrupt(key, ByteBuffer.wrap(new Bytes().i16(3).i64(1).i32(0).i16(Short.MAX_VALUE).get()));
        assertCorrupt(ByteBuffer.wrap(new Bytes().i16(1).str("g").str("t").i32(-1).get()), null);
        assertCorrupt(ByteBuffer.wrap(new Bytes().i16(-4).get()), null);
        // A member array claiming two billion members in a few bytes.
        assertCorrupt(ByteBuffer.wrap(CoordinatorRecords.groupMetadataKey("g")), ByteBuffer.wrap(
                new Bytes().i16(3).str("consumer").i32(1).str("r").str("l").i64(0).i32(Integer.MAX_VALUE).get()));
        // Trailing bytes after a complete value.
        assertCorrupt(key, ByteBuffer.wrap(new Bytes().i16(0).i64(10).str("a").i64(100).i8(0).get()));
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] garbage = new byte[random.nextInt(40)];
            random.nextBytes(garbage);
            try {
                CoordinatorRecords.decode(key, ByteBuffer.wrap(garbage));
            } catch (ProtocolException e) {
                assertEquals(Errors.CORRUPT_MESSAGE, e.error());
            }
        }
    }

    private static void assertCorrupt(ByteBuffer key, ByteBuffer value) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> CoordinatorRecords.decode(key, value));
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
    }
}
