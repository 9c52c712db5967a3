package io.fjord.log;

import java.io.IOException;
import java.util.List;

/**
 * A compacted log as the cleaner sees it when choosing: the clean section below
 * {@code firstDirtyOffset} (already deduplicated), the dirty section up to
 * {@code firstUncleanableOffset}, and what is above it, which is never cleaned: the active
 * segment, anything at or above the high watermark and segments younger than
 * {@code min.compaction.lag.ms}.
 *
 * @param cleanBytes bytes of the segments below the first dirty offset
 * @param dirtyBytes bytes of the segments from the first dirty offset to the first uncleanable one
 * @param needCompactionNow whether a dirty record is older than {@code max.compaction.lag.ms}
 */
record LogToClean(PartitionLog log, long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes,
                  long dirtyBytes, boolean needCompactionNow) {

    static LogToClean of(PartitionLog log, long firstDirtyOffset, long nowMs) throws IOException {
        LogConfig config = log.config();
        LogSegments segments = log.segmentList();
        long uncleanable = Math.min(log.highWatermark(), segments.active().baseOffset());
        List<LogSegment> dirty = segments.between(firstDirtyOffset, uncleanable);
        if (config.minCompactionLagMs() > 0) {
            for (LogSegment s : dirty) {
                if (s.baseOffset() >= firstDirtyOffset && s.largestTimestamp() > nowMs - config.minCompactionLagMs()) {
                    uncleanable = Math.min(uncleanable, s.baseOffset());
                    break;
                }
            }
        }
        uncleanable = Math.max(uncleanable, firstDirtyOffset);
        long cleanBytes = 0;
        for (LogSegment s : segments.between(0, firstDirtyOffset)) {
            cleanBytes += s.size();
        }
        long dirtyBytes = 0;
        boolean overdue = false;
        for (LogSegment s : segments.between(firstDirtyOffset, uncleanable)) {
            dirtyBytes += s.size();
            long first = s.firstBatchTimestamp();
            overdue |= first >= 0 && config.maxCompactionLagMs() < Long.MAX_VALUE
                    && nowMs - first > config.maxCompactionLagMs();
        }
        return new LogToClean(log, firstDirtyOffset, uncleanable, cleanBytes, dirtyBytes, overdue);
    }

    /** Dirty bytes over all bytes up to the first uncleanable offset. */
    double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    /** Whether the cleaner should take this log now, by ratio or by age. */
    boolean isCleanable() {
        return firstUncleanableOffset > firstDirtyOffset
                && (needCompactionNow || dirtyRatio() > log.config().minCleanableDirtyRatio());
    }
}
