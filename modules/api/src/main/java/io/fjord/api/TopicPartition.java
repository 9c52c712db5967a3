package io.fjord.api;

import java.util.Objects;

/**
 * A partition of a topic. Ordered by topic, then partition number.
 *
 * @param topic the topic name, never null
 * @param partition the partition number, never negative
 */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {

    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
    }

    @Override
    public int compareTo(TopicPartition other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }

    /** Kafka's spelling, {@code topic-partition}, as in partition folder names. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
