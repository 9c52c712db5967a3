package io.fjord.log;

/**
 * The outcome of a successful append, as a produce response needs it.
 *
 * @param firstOffset the offset of the first record appended (or of the original batch, for a duplicate)
 * @param lastOffset the offset of the last record appended
 * @param maxTimestamp the largest batch max timestamp appended
 * @param logAppendTime the broker time stamped into the batches under LogAppendTime, else -1
 * @param logStartOffset the log start offset after the append
 * @param validBytes the bytes written (0 for a duplicate)
 * @param duplicate true if the batch was a retry of one already in the log and nothing was written
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, long logAppendTime,
                            long logStartOffset, int validBytes, boolean duplicate) {
}
