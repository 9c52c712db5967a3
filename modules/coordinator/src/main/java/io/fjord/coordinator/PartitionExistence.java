package io.fjord.coordinator;

import io.fjord.api.TopicPartition;

/**
 * Whether a partition exists in the cluster's metadata now. The coordinator commits offsets only
 * for partitions that exist, as Kafka does. The broker implements it with its metadata image.
 *
 * <p>Called without any group's lock held; it must not block.
 */
@FunctionalInterface
public interface PartitionExistence {

    boolean exists(TopicPartition partition);
}
