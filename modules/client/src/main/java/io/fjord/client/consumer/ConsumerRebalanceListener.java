package io.fjord.client.consumer;

import io.fjord.api.TopicPartition;

import java.util.Collection;

/**
 * Told of partitions leaving and joining the consumer's assignment, as Kafka's listener of the same
 * name. Every call runs on the application's thread, inside {@code poll} (or {@code close}).
 */
public interface ConsumerRebalanceListener {

    /** Partitions given up in a rebalance while still owned: commit their offsets here. */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** Partitions newly given to this consumer (in an eager rebalance, the whole assignment). */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * Partitions that may already belong to another member (the member was fenced or its session
     * expired): their offsets can no longer be committed. Kafka's default calls {@link
     * #onPartitionsRevoked}.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }
}
