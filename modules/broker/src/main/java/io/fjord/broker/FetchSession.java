package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.replication.FetchPartitionRequest;
import io.fjord.replication.FetchPartitionResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One incremental fetch session (KIP-227): the partitions a fetcher reads, in its order, with what
 * it last asked for (offset, max bytes, epochs) and what it was last told (high watermark, log
 * start offset), so a later request need only carry changes and its answer only partitions whose
 * state moved.
 *
 * <p>Invariant: {@link #epoch} is the epoch the next request must carry. Guarded by the cache's
 * monitor for membership and by its own for its contents; one request at a time uses it, as the
 * epoch check makes concurrent requests of one session fail.
 */
final class FetchSession {

    /** What the session keeps of one partition. */
    static final class CachedPartition {
        UUID topicId;
        long fetchOffset;
        int maxBytes;
        int currentLeaderEpoch;
        int lastFetchedEpoch;
        long highWatermark = -1;
        long logStartOffset = -1;

        CachedPartition(UUID topicId, FetchPartitionRequest request) {
            this.topicId = topicId;
            update(request);
        }

        void update(FetchPartitionRequest request) {
            fetchOffset = request.fetchOffset();
            maxBytes = request.maxBytes();
            currentLeaderEpoch = request.currentLeaderEpoch();
            lastFetchedEpoch = request.lastFetchedEpoch();
        }

        /** Whether the answer tells the fetcher something new; remembers what it tells. */
        boolean mustRespond(FetchPartitionResult result) {
            boolean respond = !result.records().isEmpty() || result.divergingEpoch() != null;
            if (result.error() != Errors.NONE) {
                // Forget the high watermark, so the partition is sent again once the error clears.
                highWatermark = -1;
                return true;
            }
            if (highWatermark != result.highWatermark()) {
                highWatermark = result.highWatermark();
                respond = true;
            }
            if (logStartOffset != result.logStartOffset()) {
                logStartOffset = result.logStartOffset();
                respond = true;
            }
            return respond;
        }
    }

    final int id;
    final boolean privileged;
    final boolean usesTopicIds;
    final long creationMs;
    long lastUsedMs;
    int epoch;
    final Map<TopicPartition, CachedPartition> partitions = new LinkedHashMap<>();

    FetchSession(int id, boolean privileged, boolean usesTopicIds, long nowMs) {
        this.id = id;
        this.privileged = privileged;
        this.usesTopicIds = usesTopicIds;
        this.creationMs = nowMs;
        this.lastUsedMs = nowMs;
        this.epoch = 1;
    }

    synchronized int size() {
        return partitions.size();
    }

    /** The epoch after {@code epoch}: it wraps to 1, since 0 and -1 mean "no session". */
    static int nextEpoch(int epoch) {
        return epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }
}
