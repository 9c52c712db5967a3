package io.fjord.coordinator;

/**
 * Creates {@code __consumer_offsets} on first use. The broker implements it with its metadata
 * store: the topic's partitions must be led by this broker by the time the call returns.
 */
@FunctionalInterface
public interface OffsetsTopicCreator {

    /**
     * Creates the topic unless it exists.
     *
     * @return its number of partitions
     * @throws CoordinatorException with COORDINATOR_NOT_AVAILABLE when it cannot be created (for
     *     example {@code offsets.topic.replication.factor} above the live brokers)
     */
    int createIfAbsent();
}
