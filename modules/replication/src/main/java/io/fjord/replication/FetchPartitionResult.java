package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.log.EpochEndOffset;
import io.fjord.log.FileSlice;

/**
 * The answer for one partition of a fetch.
 *
 * <p>Buffer ownership: {@code records} is a slice of a segment file owned by the log; it stays
 * valid for {@code file.delete.delay.ms} after its segment is deleted, long enough to be sent.
 *
 * @param records whole batches (possibly none); never null
 * @param highWatermark -1 on error
 * @param lastStableOffset -1 on error
 * @param logStartOffset -1 on error
 * @param divergingEpoch for a follower whose log diverges, the epoch and end offset to truncate
 *     to; null otherwise
 */
public record FetchPartitionResult(TopicPartition topicPartition, Errors error, long highWatermark,
        long lastStableOffset, long logStartOffset, FileSlice records, EpochEndOffset divergingEpoch) {

    public FetchPartitionResult(TopicPartition topicPartition, Errors error, long highWatermark, long lastStableOffset,
            long logStartOffset, FileSlice records) {
        this(topicPartition, error, highWatermark, lastStableOffset, logStartOffset, records, null);
    }

    static FetchPartitionResult failed(TopicPartition tp, Errors error, long highWatermark, long logStartOffset,
            long fetchOffset) {
        return new FetchPartitionResult(tp, error, highWatermark, highWatermark, logStartOffset,
                FileSlice.empty(fetchOffset), null);
    }
}
