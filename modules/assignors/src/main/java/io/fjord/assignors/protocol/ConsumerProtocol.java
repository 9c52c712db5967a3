package io.fjord.assignors.protocol;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor.Assignment;
import io.fjord.api.consumer.PartitionAssignor.Subscription;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consumer protocol's bytes: what a member puts in JoinGroup's protocol metadata
 * (a subscription) and what the leader hands out through SyncGroup (an assignment), as Kafka's
 * {@code ConsumerProtocol} writes and reads them.
 *
 * <p>Layout (classic, non-flexible types; every message starts with an INT16 version):
 * <pre>
 * Subscription: version INT16, topics [STRING], user_data NULLABLE_BYTES,
 *               owned_partitions [topic STRING, partitions [INT32]]   (v1+),
 *               generation_id INT32, -1 for none                       (v2+),
 *               rack_id NULLABLE_STRING                                (v3+)
 * Assignment:   version INT16, assigned_partitions [topic STRING, partitions [INT32]],
 *               user_data NULLABLE_BYTES                               (same in v0 to v3)
 * </pre>
 * A newer version than {@link #HIGHEST_VERSION} is read with the newest layout this class knows
 * and its trailing bytes are ignored, as Kafka does: later versions may only append fields.
 * Fields a lower version lacks are dropped on encode (all of them are ignorable in Kafka's schema).
 *
 * <p>Buffers: encoders return a new heap buffer positioned at 0 and leave the positions of the
 * user data they copy unchanged. Decoders read from the buffer's position to its limit without
 * moving it; the user data they return is a read-only view of the caller's bytes, valid as long
 * as those bytes are.
 */
public final class ConsumerProtocol {

    /** The highest subscription and assignment version this class writes and reads field by field. */
    public static final short HIGHEST_VERSION = 3;

    /** {@code protocol_type} of the groups that use these bytes. */
    public static final String PROTOCOL_TYPE = "consumer";

    private ConsumerProtocol() {
    }

    /** A subscription at the highest version, as Kafka's consumers send it. */
    public static ByteBuffer encodeSubscription(Subscription subscription) {
        return encodeSubscription(subscription, HIGHEST_VERSION);
    }

    /**
     * A subscription at {@code version}; versions above {@link #HIGHEST_VERSION} write the highest.
     * Topics are sorted and owned partitions sorted and grouped by topic, as Kafka writes them, so
     * both produce the same bytes.
     *
     * @throws IllegalArgumentException for a negative version or a string longer than 32767 bytes
     */
    public static ByteBuffer encodeSubscription(Subscription subscription, short version) {
        short v = writableVersion(version);
        List<byte[]> topics = new ArrayList<>(subscription.topics().size());
        subscription.topics().stream().sorted().forEach(t -> topics.add(ProtocolWriter.utf8(t)));
        List<TopicPartition> owned = new ArrayList<>(subscription.ownedPartitions());
        owned.sort(null);
        Grouped ownedGrouped = Grouped.of(owned);
        byte[] rack = subscription.rackId().map(ProtocolWriter::utf8).orElse(null);

        int size = 2 + 4 + ProtocolWriter.nullableBytesSize(subscription.userData());
        for (byte[] t : topics) {
            size += ProtocolWriter.stringSize(t);
        }
        if (v >= 1) {
            size += ProtocolWriter.topicPartitionsSize(ownedGrouped.topics, ownedGrouped.partitions);
        }
        if (v >= 2) {
            size += 4;
        }
        if (v >= 3) {
            size += rack == null ? 2 : ProtocolWriter.stringSize(rack);
        }

        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort(v);
        out.putInt(topics.size());
        for (byte[] t : topics) {
            ProtocolWriter.writeString(out, t);
        }
        ProtocolWriter.writeNullableBytes(out, subscription.userData());
        if (v >= 1) {
            ProtocolWriter.writeTopicPartitions(out, ownedGrouped.topics, ownedGrouped.partitions);
        }
        if (v >= 2) {
            out.putInt(subscription.generationId().orElse(-1));
        }
        if (v >= 3) {
            ProtocolWriter.writeNullableString(out, rack);
        }
        return out.flip();
    }

    /**
     * Reads a subscription of any version. A generation of -1 (or absent) reads as empty, as does
     * a null or empty rack id. The group instance id is not in these bytes: it reads as empty.
     *
     * @throws ConsumerProtocolException for truncated or malformed bytes or a negative version
     */
    public static Subscription decodeSubscription(ByteBuffer buffer) {
        ProtocolReader in = new ProtocolReader(buffer, "consumer protocol subscription");
        short version = readVersion(in);
        int topicCount = in.readArrayLength(2);
        List<String> topics = new ArrayList<>(topicCount);
        for (int i = 0; i < topicCount; i++) {
            topics.add(in.readString());
        }
        ByteBuffer userData = in.readNullableBytes();
        List<TopicPartition> owned = version >= 1 ? readTopicPartitions(in) : List.of();
        int generation = version >= 2 ? in.readInt() : -1;
        String rack = version >= 3 ? in.readNullableString() : null;
        return new Subscription(topics, userData, owned,
                generation < 0 ? Optional.empty() : Optional.of(generation),
                rack == null || rack.isEmpty() ? Optional.empty() : Optional.of(rack));
    }

    /** An assignment at the highest version. */
    public static ByteBuffer encodeAssignment(Assignment assignment) {
        return encodeAssignment(assignment, HIGHEST_VERSION);
    }

    /**
     * An assignment at {@code version} (all versions share one layout). Partitions are grouped by
     * topic in the order the topics first appear, as Kafka writes them.
     *
     * @throws IllegalArgumentException for a negative version or a topic longer than 32767 bytes
     */
    public static ByteBuffer encodeAssignment(Assignment assignment, short version) {
        short v = writableVersion(version);
        Grouped grouped = Grouped.of(assignment.partitions());
        int size = 2 + ProtocolWriter.topicPartitionsSize(grouped.topics, grouped.partitions)
                + ProtocolWriter.nullableBytesSize(assignment.userData());
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort(v);
        ProtocolWriter.writeTopicPartitions(out, grouped.topics, grouped.partitions);
        ProtocolWriter.writeNullableBytes(out, assignment.userData());
        return out.flip();
    }

    /**
     * Reads an assignment of any version.
     *
     * @throws ConsumerProtocolException for truncated or malformed bytes or a negative version
     */
    public static Assignment decodeAssignment(ByteBuffer buffer) {
        ProtocolReader in = new ProtocolReader(buffer, "consumer protocol assignment");
        readVersion(in);
        List<TopicPartition> partitions = readTopicPartitions(in);
        ByteBuffer userData = in.readNullableBytes();
        return new Assignment(partitions, userData);
    }

    /**
     * The version prefix of a subscription or assignment.
     *
     * @throws ConsumerProtocolException if fewer than two bytes remain or the version is negative
     */
    public static short version(ByteBuffer buffer) {
        return readVersion(new ProtocolReader(buffer, "consumer protocol message"));
    }

    private static short readVersion(ProtocolReader in) {
        short version = in.readShort();
        if (version < 0) {
            throw in.malformed("unsupported version " + version);
        }
        return version;
    }

    private static short writableVersion(short version) {
        if (version < 0) {
            throw new IllegalArgumentException("unsupported consumer protocol version " + version);
        }
        return (short) Math.min(version, HIGHEST_VERSION);
    }

    /** {@code [topic STRING, partitions [INT32]]}, flattened in the order read. */
    static List<TopicPartition> readTopicPartitions(ProtocolReader in) {
        // A topic entry is at least an empty string and an empty array: 2 + 4 bytes.
        int topicCount = in.readArrayLength(6);
        List<TopicPartition> result = new ArrayList<>(topicCount);
        for (int i = 0; i < topicCount; i++) {
            String topic = in.readString();
            int partitionCount = in.readArrayLength(4);
            for (int j = 0; j < partitionCount; j++) {
                int partition = in.readInt();
                if (partition < 0) {
                    throw in.malformed("partition " + partition + " of topic " + topic);
                }
                result.add(new TopicPartition(topic, partition));
            }
        }
        return result;
    }

    /** Partitions grouped by topic, topics in first-seen order, partitions in the order given. */
    static final class Grouped {
        final List<byte[]> topics = new ArrayList<>();
        final List<int[]> partitions = new ArrayList<>();

        static Grouped of(List<TopicPartition> list) {
            Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
            for (TopicPartition tp : list) {
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
            }
            Grouped g = new Grouped();
            for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
                g.topics.add(ProtocolWriter.utf8(e.getKey()));
                g.partitions.add(e.getValue().stream().mapToInt(Integer::intValue).toArray());
            }
            return g;
        }
    }
}
