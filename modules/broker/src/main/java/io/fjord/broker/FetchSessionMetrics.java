package io.fjord.broker;

/**
 * The broker's incremental fetch sessions as Kafka's metrics report them.
 *
 * @param sessions Kafka's {@code NumIncrementalFetchSessions}: sessions in the cache
 * @param partitionsCached {@code NumIncrementalFetchPartitionsCached}: partitions over all sessions
 * @param evictions the count behind {@code IncrementalFetchSessionEvictionsPerSec}
 * @param fullRequests fetches that carried every partition (session epoch 0 or -1)
 * @param incrementalRequests fetches that carried only changes to a session
 */
public record FetchSessionMetrics(int sessions, int partitionsCached, long evictions, long fullRequests,
                                  long incrementalRequests) {
}
