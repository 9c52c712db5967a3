package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.log.FileSlice;

/**
 * The leader's answer to one partition of a follower's fetch.
 *
 * @param records whole batches up to the leader's log end offset; empty when diverging
 * @param divergingEpoch set when the follower's log diverges: the largest epoch both logs share
 *     and where it ends in the leader's, the point the follower truncates to; null otherwise
 * @param highWatermark the leader's high watermark after this fetch
 * @param logStartOffset the leader's log start offset
 * @param highWatermarkMoved whether this fetch moved the high watermark
 */
public record FollowerRead(FileSlice records, EpochEndOffset divergingEpoch, long highWatermark, long logStartOffset,
                           boolean highWatermarkMoved) {
}
