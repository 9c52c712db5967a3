package io.fjord.log;

import io.fjord.api.TopicPartition;

/**
 * What one cleaning of one log did, as the cleaner logs it once per cleaning and tests read it.
 *
 * @param partition the log cleaned
 * @param firstDirtyOffset where the dirty section started
 * @param endOffset where the cleaned part ends: the next cleaning's first dirty offset
 * @param dirtyRatio the log's dirty ratio when it was picked
 * @param bytesRead bytes of segments read (the dirty section for the map, then every segment rewritten)
 * @param bytesWritten bytes of the cleaned segments
 * @param recordsRead records of the segments rewritten
 * @param recordsWritten records kept
 * @param mapUtilization the share of the offset map the dirty section filled
 * @param startMs when the cleaning started
 * @param endMs when it ended
 */
public record CleanerStats(TopicPartition partition, long firstDirtyOffset, long endOffset, double dirtyRatio,
                           long bytesRead, long bytesWritten, long recordsRead, long recordsWritten,
                           double mapUtilization, long startMs, long endMs) {

    public long durationMs() {
        return endMs - startMs;
    }

    @Override
    public String toString() {
        double seconds = Math.max(durationMs(), 1) / 1000.0;
        return String.format("Cleaned %s offsets [%d, %d) in %.1f s, dirty ratio %.2f: read %.1f MB (%.1f MB/s),"
                        + " wrote %.1f MB, kept %d of %d records (%.1f%% removed), offset map %.0f%% full",
                partition, firstDirtyOffset, endOffset, seconds, dirtyRatio, bytesRead / 1e6, bytesRead / 1e6 / seconds,
                bytesWritten / 1e6, recordsWritten, recordsRead,
                recordsRead == 0 ? 0.0 : 100.0 * (recordsRead - recordsWritten) / recordsRead, 100 * mapUtilization);
    }
}
