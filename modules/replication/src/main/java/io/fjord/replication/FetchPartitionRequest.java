package io.fjord.replication;

import io.fjord.api.TopicPartition;

/**
 * One partition of a fetch: where to read from and how many bytes at most.
 *
 * @param maxBytes the partition's {@code partition_max_bytes}
 */
public record FetchPartitionRequest(TopicPartition topicPartition, long fetchOffset, int maxBytes) {
}
