package io.fjord.controller;

import io.fjord.api.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One topic in a {@link MetadataImage}: name, id, whether it is internal, its partitions and the
 * config overrides set on it. Immutable.
 *
 * <p>Invariants: the id is never the zero UUID; {@code partitions.get(i).partition() == i}; the
 * config map holds only overrides (keys known to {@link TopicConfigs}), never defaults.
 *
 * @param name       the topic name
 * @param id         the topic id, fixed at creation and kept across restarts
 * @param internal   whether Kafka treats the topic as internal ({@code __consumer_offsets} and friends)
 * @param partitions the partitions, indexed by partition number
 * @param configs    the per-topic config overrides
 */
public record TopicImage(String name, UUID id, boolean internal, List<PartitionImage> partitions,
                         Map<String, String> configs) {

    public TopicImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        if (id.getMostSignificantBits() == 0 && id.getLeastSignificantBits() == 0) {
            throw new IllegalArgumentException("topic " + name + " has the zero UUID as id");
        }
        partitions = List.copyOf(partitions);
        configs = Map.copyOf(configs);
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).partition() != i) {
                throw new IllegalArgumentException("topic " + name + ": partition at index " + i
                        + " is numbered " + partitions.get(i).partition());
            }
        }
    }

    /** The number of partitions. */
    public int partitionCount() {
        return partitions.size();
    }

    /** The partition with the given index, or null if the topic has no such partition. */
    public PartitionImage partition(int index) {
        return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
    }

    /** The {@link TopicPartition} of the given partition index. */
    public TopicPartition topicPartition(int index) {
        return new TopicPartition(name, index);
    }
}
