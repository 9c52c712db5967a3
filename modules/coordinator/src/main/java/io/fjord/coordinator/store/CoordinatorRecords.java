package io.fjord.coordinator.store;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BYTES;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.api.TopicPartition;
import io.fjord.coordinator.CommittedOffset;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.schema.Schema;
import io.fjord.protocol.schema.Struct;
import io.fjord.protocol.schema.StructCodec;
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
    private static final short FIRST_FLEXIBLE_VERSION = 4;

    private static final Schema OFFSET_COMMIT_KEY = Schema.of(
            field("group", STRING),
            field("topic", STRING),
            field("partition", INT32));

    private static final Schema OFFSET_COMMIT_VALUE = Schema.of(
            field("offset", INT64),
            field("leader_epoch", INT32).versions(3).defaultValue(-1),
            field("metadata", STRING),
            field("commit_timestamp", INT64),
            field("expire_timestamp", INT64).versions(1, 1).defaultValue(-1));

    private static final Schema GROUP_METADATA_KEY = Schema.of(
            field("group", STRING));

    private static final Schema GROUP_METADATA_VALUE = Schema.of(
            field("protocol_type", STRING),
            field("generation", INT32),
            field("protocol", STRING).nullable(),
            field("leader", STRING).nullable(),
            field("current_state_timestamp", INT64).versions(2).defaultValue(-1),
            field("members", arrayOf(Schema.of(
                    field("member_id", STRING),
                    field("group_instance_id", STRING).versions(3).nullable().defaultValue(null),
                    field("client_id", STRING),
                    field("client_host", STRING),
                    field("rebalance_timeout", INT32).versions(1).defaultValue(-1),
                    field("session_timeout", INT32),
                    field("subscription", BYTES),
                    field("assignment", BYTES)))));

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
        Struct s = OFFSET_COMMIT_KEY.newStruct()
                .set("group", group)
                .set("topic", tp.topic())
                .set("partition", tp.partition());
        return encode(OFFSET_COMMIT_KEY_TYPE, s);
    }

    public static byte[] offsetCommitValue(CommittedOffset offset) {
        Struct s = OFFSET_COMMIT_VALUE.newStruct()
                .set("offset", offset.offset())
                .set("leader_epoch", offset.leaderEpoch())
                .set("metadata", offset.metadata())
                .set("commit_timestamp", offset.commitTimestamp());
        return encode(OFFSET_COMMIT_VALUE_VERSION, s);
    }

    public static byte[] groupMetadataKey(String group) {
        return encode(GROUP_METADATA_KEY_TYPE, GROUP_METADATA_KEY.newStruct().set("group", group));
    }

    public static byte[] groupMetadataValue(GroupMetadataValue value) {
        Struct s = GROUP_METADATA_VALUE.newStruct()
                .set("protocol_type", value.protocolType())
                .set("generation", value.generation())
                .set("protocol", value.protocol())
                .set("leader", value.leader())
                .set("current_state_timestamp", value.currentStateTimestamp());
        for (GroupMetadataValue.MemberMetadata m : value.members()) {
            s.addElement("members")
                    .set("member_id", m.memberId())
                    .set("group_instance_id", m.groupInstanceId())
                    .set("client_id", m.clientId())
                    .set("client_host", m.clientHost())
                    .set("rebalance_timeout", m.rebalanceTimeout())
                    .set("session_timeout", m.sessionTimeout())
                    .set("subscription", ByteBuffer.wrap(m.subscription()))
                    .set("assignment", ByteBuffer.wrap(m.assignment()));
        }
        return encode(GROUP_METADATA_VALUE_VERSION, s);
    }

    private static byte[] encode(short version, Struct struct) {
        WireWriter out = new WireWriter(64);
        out.writeShort(version);
        StructCodec.write(struct, version, false, out);
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
            Struct ks = readFully(OFFSET_COMMIT_KEY, (short) 0, false, k);
            if (ks.getInt("partition") < 0 || ks.getString("group") == null || ks.getString("topic") == null) {
                throw new ProtocolException(Errors.CORRUPT_MESSAGE, "Offset commit key with a null name or negative partition");
            }
            TopicPartition tp = new TopicPartition(ks.getString("topic"), ks.getInt("partition"));
            if (value == null) {
                return new OffsetCommit(ks.getString("group"), tp, null);
            }
            WireReader v = new WireReader(value.duplicate(), Errors.CORRUPT_MESSAGE);
            short version = valueVersion(v);
            Struct vs = readFully(OFFSET_COMMIT_VALUE, version, version >= FIRST_FLEXIBLE_VERSION, v);
            return new OffsetCommit(ks.getString("group"), tp, new CommittedOffset(vs.getLong("offset"),
                    vs.getInt("leader_epoch"), vs.getString("metadata"), vs.getLong("commit_timestamp")));
        }
        if (type == GROUP_METADATA_KEY_TYPE) {
            String group = readFully(GROUP_METADATA_KEY, (short) 0, false, k).getString("group");
            if (group == null) {
                throw new ProtocolException(Errors.CORRUPT_MESSAGE, "Group metadata key with a null group");
            }
            if (value == null) {
                return new GroupMetadata(group, null);
            }
            WireReader v = new WireReader(value.duplicate(), Errors.CORRUPT_MESSAGE);
            short version = valueVersion(v);
            Struct vs = readFully(GROUP_METADATA_VALUE, version, version >= FIRST_FLEXIBLE_VERSION, v);
            List<GroupMetadataValue.MemberMetadata> members = new ArrayList<>();
            for (Struct m : vs.getStructArray("members")) {
                members.add(new GroupMetadataValue.MemberMetadata(m.getString("member_id"),
                        m.getString("group_instance_id"), m.getString("client_id"), m.getString("client_host"),
                        m.getInt("rebalance_timeout"), m.getInt("session_timeout"),
                        copy(m.getBytes("subscription")), copy(m.getBytes("assignment"))));
            }
            return new GroupMetadata(group, new GroupMetadataValue(vs.getString("protocol_type"),
                    vs.getInt("generation"), vs.getString("protocol"), vs.getString("leader"),
                    vs.getLong("current_state_timestamp"), members));
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

    private static Struct readFully(Schema schema, short version, boolean flexible, WireReader in) {
        Struct s = StructCodec.read(schema, version, flexible, in);
        if (in.remaining() != 0) {
            throw new ProtocolException(Errors.CORRUPT_MESSAGE, in.remaining() + " bytes after the record");
        }
        return s;
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }
}
