package io.fjord.coordinator.store;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.CommittedOffset;
import io.fjord.coordinator.store.records.GroupMetadataKey;
import io.fjord.coordinator.store.records.OffsetCommitKey;
import io.fjord.coordinator.store.records.OffsetCommitValue;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.message.Message;
import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the keys and values of {@code __consumer_offsets} (layout in the package
 * documentation). Decoding never trusts a length beyond the bytes present: malformed input ends
 * in a {@link ProtocolException} with {@link Errors#CORRUPT_MESSAGE}.
 */
public final class CoordinatorRecords {

    /** Key types (Kafka's key versions) 0 and 1: an offset commit. */
    public static final short OFFSET_COMMIT_KEY_TYPE = 1;
    /** Key type 2: a group's metadata. */
    public static final short GROUP_METADATA_KEY_TYPE = 2;
    /** The value versions written: the newest non-flexible ones, which every Kafka reads. */
    static final short OFFSET_COMMIT_VALUE_VERSION = 3;
    static final short GROUP_METADATA_VALUE_VERSION = 3;
    private static final short MAX_VALUE_VERSION = 4;

    private CoordinatorRecords() {
    }

    /** A decoded record: an offset commit or a group's metadata; a null value is a tombstone. */
    public sealed interface Decoded permits OffsetCommit, GroupMetadata {
        String groupId();
    }

    /** An offset commit, or with a null {@code offset} the removal of one. */
    public record OffsetCommit(String groupId, TopicPartition partition, CommittedOffset offset) implements Decoded {
    }

    /** A group's metadata, or with a null {@code value} the removal of the group. */
    public record GroupMetadata(String groupId, GroupMetadataValue value) implements Decoded {
    }

    public static byte[] offsetCommitKey(String group, TopicPartition tp) {
        return encode(OFFSET_COMMIT_KEY_TYPE, (short) 0,
                new OffsetCommitKey().setGroup(group).setTopic(tp.topic()).setPartition(tp.partition()));
    }

    public static byte[] offsetCommitValue(CommittedOffset offset) {
        return encode(OFFSET_COMMIT_VALUE_VERSION, OFFSET_COMMIT_VALUE_VERSION, new OffsetCommitValue()
                .setOffset(offset.offset())
                .setLeaderEpoch(offset.leaderEpoch())
                .setMetadata(offset.metadata())
                .setCommitTimestamp(offset.commitTimestamp()));
    }

    public static byte[] groupMetadataKey(String group) {
        return encode(GROUP_METADATA_KEY_TYPE, (short) 0, new GroupMetadataKey().setGroup(group));
    }

    public static byte[] groupMetadataValue(GroupMetadataValue value) {
        var record = new io.fjord.coordinator.store.records.GroupMetadataValue()
                .setProtocolType(value.protocolType())
                .setGeneration(value.generation())
                .setProtocol(value.protocol())
                .setLeader(value.leader())
                .setCurrentStateTimestamp(value.currentStateTimestamp());
        for (GroupMetadataValue.MemberMetadata m : value.members()) {
            record.members().add(new io.fjord.coordinator.store.records.GroupMetadataValue.MemberMetadata()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setClientId(m.clientId())
                    .setClientHost(m.clientHost())
                    .setRebalanceTimeout(m.rebalanceTimeout())
                    .setSessionTimeout(m.sessionTimeout())
                    .setSubscription(ByteBuffer.wrap(m.subscription()))
                    .setAssignment(ByteBuffer.wrap(m.assignment())));
        }
        return encode(GROUP_METADATA_VALUE_VERSION, GROUP_METADATA_VALUE_VERSION, record);
    }

    /** The INT16 record type or value version, then the message at {@code version}. */
    private static byte[] encode(short typeOrVersion, short version, Message message) {
        WireWriter out = new WireWriter(64);
        out.writeShort(typeOrVersion);
        message.write(out, version);
        ByteBuffer buffer = out.finishAsBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /**
     * Decodes one record of the offsets topic.
     *
     * <p>Buffer ownership: {@code key} and {@code value} are read, not kept; byte fields of the
     * result are copies.
     *
     * @param value null for a tombstone
     * @return the record, or null for a record type this coordinator does not keep (KIP-848
     *     consumer groups, share groups)
     * @throws ProtocolException with CORRUPT_MESSAGE for malformed bytes or an unknown value version
     */
    public static Decoded decode(ByteBuffer key, ByteBuffer value) {
        WireReader k = new WireReader(key.duplicate(), Errors.CORRUPT_MESSAGE);
        short type = k.readShort();
        if (type == 0 || type == 1) {
            OffsetCommitKey ks = readFully(new OffsetCommitKey(), (short) 0, k);
            if (ks.partition() < 0 || ks.group() == null || ks.topic() == null) {
                throw new ProtocolException(Errors.CORRUPT_MESSAGE, "Offset commit key with a null name or negative partition");
            }
            TopicPartition tp = new TopicPartition(ks.topic(), ks.partition());
            if (value == null) {
                return new OffsetCommit(ks.group(), tp, null);
            }
            WireReader v = new WireReader(value.duplicate(), Errors.CORRUPT_MESSAGE);
            OffsetCommitValue vs = readFully(new OffsetCommitValue(), valueVersion(v), v);
            return new OffsetCommit(ks.group(), tp, new CommittedOffset(vs.offset(), vs.leaderEpoch(), vs.metadata(),
                    vs.commitTimestamp()));
        }
        if (type == GROUP_METADATA_KEY_TYPE) {
            String group = readFully(new GroupMetadataKey(), (short) 0, k).group();
            if (group == null) {
                throw new ProtocolException(Errors.CORRUPT_MESSAGE, "Group metadata key with a null group");
            }
            if (value == null) {
                return new GroupMetadata(group, null);
            }
            WireReader v = new WireReader(value.duplicate(), Errors.CORRUPT_MESSAGE);
            var vs = readFully(new io.fjord.coordinator.store.records.GroupMetadataValue(), valueVersion(v), v);
            List<GroupMetadataValue.MemberMetadata> members = new ArrayList<>();
            for (var m : vs.members()) {
                members.add(new GroupMetadataValue.MemberMetadata(m.memberId(), m.groupInstanceId(), m.clientId(),
                        m.clientHost(), m.rebalanceTimeout(), m.sessionTimeout(), copy(m.subscription()),
                        copy(m.assignment())));
            }
            return new GroupMetadata(group, new GroupMetadataValue(vs.protocolType(), vs.generation(), vs.protocol(),
                    vs.leader(), vs.currentStateTimestamp(), members));
        }
        if (type < 0) {
            throw new ProtocolException(Errors.CORRUPT_MESSAGE, "Negative record type " + type);
        }
        return null;
    }

    private static short valueVersion(WireReader v) {
        short version = v.readShort();
        if (version < 0 || version > MAX_VALUE_VERSION) {
            throw new ProtocolException(Errors.CORRUPT_MESSAGE, "Unknown value version " + version);
        }
        return version;
    }

    private static <M extends Message> M readFully(M message, short version, WireReader in) {
        message.read(in, version);
        if (in.remaining() != 0) {
            throw new ProtocolException(Errors.CORRUPT_MESSAGE, in.remaining() + " bytes after the record");
        }
        return message;
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return bytes;
    }
}
