package io.fjord.replication;

import io.fjord.api.TopicPartition;

/**
 * One partition of a fetch: where to read from and how many bytes at most.
 *
 * @param maxBytes the partition's {@code partition_max_bytes}
 * @param currentLeaderEpoch the leader epoch the fetcher believes current, or -1 to skip the check
 * @param lastFetchedEpoch a follower's last fetched epoch for the divergence check, or -1
 */
public record FetchPartitionRequest(TopicPartition topicPartition, long fetchOffset, int maxBytes,
                                    int currentLeaderEpoch, int lastFetchedEpoch) {

    /** A consumer's partition, without epochs. */
    public FetchPartitionRequest(TopicPartition topicPartition, long fetchOffset, int maxBytes) {
        this(topicPartition, fetchOffset, maxBytes, -1, -1);
    }
}
