package io.fjord.log;

import java.io.IOException;
import java.util.List;

/**
 * Kafka's retention rules over a segment list: which oldest segments may go.
 *
 * <p>Invariant: the answer never includes the active segment, and it is a count of oldest
 * segments, so what stays is still a valid segment list.
 */
final class LogRetention {

    private LogRetention() {
    }

    /**
     * How many of the oldest segments retention deletes: those entirely below the log start
     * offset, those whose largest timestamp is older than {@code retention.ms}, and the oldest
     * ones while the log is larger than {@code retention.bytes}; the largest of the three counts.
     */
    static int deletableSegments(LogSegments segments, LogConfig config, long logStartOffset, long nowMs)
            throws IOException {
        List<LogSegment> oldestFirst = segments.all();
        int last = oldestFirst.size() - 1;
        int byStart = 0;
        while (byStart < last && oldestFirst.get(byStart + 1).baseOffset() <= logStartOffset) {
            byStart++;
        }
        int byTime = 0;
        if (config.retentionMs() >= 0) {
            while (byTime < last && nowMs - oldestFirst.get(byTime).largestTimestamp() > config.retentionMs()) {
                byTime++;
            }
        }
        int bySize = 0;
        if (config.retentionBytes() >= 0) {
            long excess = segments.sizeInBytes() - config.retentionBytes();
            while (bySize < last && excess - oldestFirst.get(bySize).size() >= 0) {
                excess -= oldestFirst.get(bySize).size();
                bySize++;
            }
        }
        return Math.max(byStart, Math.max(byTime, bySize));
    }
}
