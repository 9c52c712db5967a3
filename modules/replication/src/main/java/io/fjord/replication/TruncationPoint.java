package io.fjord.replication;

import io.fjord.log.EpochEndOffset;
import io.fjord.log.PartitionLog;

/**
 * Where a follower's log parts from its leader's (Kafka's {@code getOffsetTruncationState}, KIP-101
 * and KIP-279). The leader names the largest epoch both logs may share and where it ends in its
 * own log. If the follower has that epoch too, the logs agree up to the smaller of the two ends.
 * If the follower's largest epoch at or below it is older, the follower cuts to that epoch's end
 * and its next fetch, carrying that older epoch, asks again: a few rounds reach the true point
 * however the two logs' epochs interleave. Never the high watermark alone (the pre-KIP-101 rule
 * that lost committed records).
 */
final class TruncationPoint {

    private TruncationPoint() {
    }

    /** The offset to truncate {@code log} to; its log end offset when nothing diverges. */
    static long of(PartitionLog log, EpochEndOffset leader) {
        long end = log.logEndOffset();
        if (leader.epoch() < 0) {
            return Math.min(Math.max(leader.endOffset(), 0), end);
        }
        EpochEndOffset mine = log.endOffsetForEpoch(leader.epoch(), -1);
        if (mine == null || mine.epoch() < 0) {
            return Math.min(leader.endOffset(), end);
        }
        if (mine.epoch() == leader.epoch()) {
            return Math.min(Math.min(mine.endOffset(), leader.endOffset()), end);
        }
        return Math.min(mine.endOffset(), end);
    }
}
