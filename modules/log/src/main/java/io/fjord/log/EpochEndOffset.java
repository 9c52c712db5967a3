package io.fjord.log;

/**
 * Where a leader epoch ended in a log, the answer to OffsetForLeaderEpoch.
 *
 * @param epoch the largest epoch the log knows at or below the one asked about
 * @param endOffset the offset after that epoch's last record: the next epoch's start offset, or the
 *     log end offset for the latest epoch
 */
public record EpochEndOffset(int epoch, long endOffset) {
}
