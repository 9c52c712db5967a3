package io.fjord.replication;

import io.fjord.common.errors.Errors;

/**
 * The outcome of appending one partition's records, as a Produce response carries it.
 *
 * @param error NONE on success (a duplicate retry included)
 * @param message a detail for the log or the client, or null
 * @param baseOffset the first offset assigned (the original one for a duplicate), -1 on error
 * @param logAppendTime the broker time stamped under LogAppendTime, else -1
 * @param logStartOffset the partition's log start offset, -1 on error
 * @param lastOffset the last offset appended, -1 on error; a delayed produce waits for the high
 *     watermark to pass it
 */
public record ProducePartitionResult(Errors error, String message, long baseOffset, long logAppendTime,
        long logStartOffset, long lastOffset) {

    public static ProducePartitionResult error(Errors error, String message) {
        return new ProducePartitionResult(error, message, -1L, -1L, -1L, -1L);
    }
}
