package io.fjord.assignors.protocol;

import io.fjord.api.TopicPartition;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The user data of the eager {@code sticky} assignor: the member's previous assignment and, from
 * version 1, the generation it belongs to, in the layout of Kafka's {@code StickyAssignor}, so
 * Fjord and Kafka members of one group read each other's.
 *
 * <p>Layout (no version prefix; a reader tells the versions apart by the bytes left):
 * <pre>
 * v0: previous_assignment [topic STRING, partitions [INT32]]
 * v1: previous_assignment [topic STRING, partitions [INT32]], generation INT32
 * </pre>
 * A reader takes the generation when four more bytes follow the assignment and ignores anything
 * after it, as Kafka's reader does.
 *
 * <p>Buffers: {@link #encode} returns a new heap buffer positioned at 0; {@link #decode} reads
 * from the position to the limit without moving it.
 */
public final class StickyAssignorUserData {

    /**
     * What a member tells the leader about its past.
     *
     * @param partitions the partitions it was assigned last
     * @param generation the generation of that assignment; empty in version 0 data
     */
    public record MemberData(List<TopicPartition> partitions, Optional<Integer> generation) {

        public MemberData {
            partitions = List.copyOf(partitions);
            Objects.requireNonNull(generation, "generation");
        }
    }

    private StickyAssignorUserData() {
    }

    /**
     * Writes version 1 when {@code data} has a generation (what Kafka's assignor always writes)
     * and version 0 otherwise. Topics are written in name order, each topic's partitions in the
     * order given.
     */
    public static ByteBuffer encode(MemberData data) {
        TreeMap<String, List<TopicPartition>> byTopic = new TreeMap<>();
        for (TopicPartition tp : data.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp);
        }
        ConsumerProtocol.Grouped grouped = ConsumerProtocol.Grouped.of(
                byTopic.values().stream().flatMap(List::stream).toList());
        int size = ProtocolWriter.topicPartitionsSize(grouped.topics, grouped.partitions)
                + (data.generation().isPresent() ? 4 : 0);
        ByteBuffer out = ByteBuffer.allocate(size);
        ProtocolWriter.writeTopicPartitions(out, grouped.topics, grouped.partitions);
        data.generation().ifPresent(out::putInt);
        return out.flip();
    }

    /**
     * Reads version 1 or version 0 data.
     *
     * @throws ConsumerProtocolException if the previous assignment is truncated or malformed
     */
    public static MemberData decode(ByteBuffer buffer) {
        ProtocolReader in = new ProtocolReader(buffer, "sticky assignor user data");
        List<TopicPartition> partitions = ConsumerProtocol.readTopicPartitions(in);
        Optional<Integer> generation = in.remaining() >= 4 ? Optional.of(in.readInt()) : Optional.empty();
        return new MemberData(partitions, generation);
    }
}
