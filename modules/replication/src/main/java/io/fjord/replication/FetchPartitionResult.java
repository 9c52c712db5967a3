package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.log.FileSlice;
import io.fjord.common.errors.Errors;

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
 */
public record FetchPartitionResult(TopicPartition topicPartition, Errors error, long highWatermark,
        long lastStableOffset, long logStartOffset, FileSlice records) {
}
