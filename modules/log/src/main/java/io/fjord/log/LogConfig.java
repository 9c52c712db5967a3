package io.fjord.log;

import io.fjord.api.ConfigException;
import io.fjord.api.TimestampType;

import java.util.Arrays;
import java.util.Map;

/**
 * The per-partition settings of a log, under Kafka's topic-level names and with Kafka 4's
 * defaults. Immutable; a changed topic config produces a new instance.
 *
 * @param segmentBytes {@code segment.bytes}: roll when the active segment would grow past this
 * @param segmentMs {@code segment.ms}: roll when the active segment's first batch is older than this
 * @param segmentIndexBytes {@code segment.index.bytes}: preallocated size of each index file
 * @param indexIntervalBytes {@code index.interval.bytes}: log bytes between two offset-index entries
 * @param maxMessageBytes {@code max.message.bytes}: largest accepted batch, in bytes
 * @param timestampType {@code message.timestamp.type}
 * @param timestampBeforeMaxMs {@code message.timestamp.before.max.ms}: how far a CreateTime timestamp may lie in the past
 * @param timestampAfterMaxMs {@code message.timestamp.after.max.ms}: how far a CreateTime timestamp may lie in the future
 * @param flushMessages {@code flush.messages}: fsync after this many messages (Long.MAX_VALUE: page cache decides)
 * @param flushMs {@code flush.ms}: fsync when the last flush is older than this
 * @param retentionMs {@code retention.ms}: delete segments whose largest timestamp is older (-1: keep;
 *     always -1 when {@code cleanup.policy} lacks {@code delete})
 * @param retentionBytes {@code retention.bytes}: delete the oldest segments while the log is larger
 *     (-1: keep; always -1 when {@code cleanup.policy} lacks {@code delete})
 * @param fileDeleteDelayMs {@code file.delete.delay.ms}: time between renaming a segment to .deleted and removing it
 * @param compact whether {@code cleanup.policy} holds {@code compact}: the log cleaner keeps the latest
 *     record of each key, and appends of records without a key are refused
 * @param deleteRetentionMs {@code delete.retention.ms}: how long a tombstone outlives the cleaning that first saw it
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: the share of dirty bytes that makes a log cleanable
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: records younger than this are never compacted
 * @param maxCompactionLagMs {@code max.compaction.lag.ms}: a dirty record older than this makes the log cleanable
 *     whatever its dirty ratio
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        int maxMessageBytes,
        TimestampType timestampType,
        long timestampBeforeMaxMs,
        long timestampAfterMaxMs,
        long flushMessages,
        long flushMs,
        long retentionMs,
        long retentionBytes,
        long fileDeleteDelayMs,
        boolean compact,
        long deleteRetentionMs,
        double minCleanableDirtyRatio,
        long minCompactionLagMs,
        long maxCompactionLagMs) {

    /** The smallest segment Kafka accepts ({@code LegacyRecord.RECORD_OVERHEAD_V0} = 14). */
    private static final int MIN_SEGMENT_BYTES = 14;

    public LogConfig {
        requireAtLeast("segment.bytes", segmentBytes, MIN_SEGMENT_BYTES);
        requireAtLeast("segment.ms", segmentMs, 1);
        requireAtLeast("segment.index.bytes", segmentIndexBytes, 12 * 2);
        requireAtLeast("index.interval.bytes", indexIntervalBytes, 0);
        requireAtLeast("max.message.bytes", maxMessageBytes, 0);
        if (timestampType != TimestampType.CREATE_TIME && timestampType != TimestampType.LOG_APPEND_TIME) {
            throw new ConfigException("message.timestamp.type", String.valueOf(timestampType),
                    "expected CreateTime or LogAppendTime");
        }
        requireAtLeast("message.timestamp.before.max.ms", timestampBeforeMaxMs, 0);
        requireAtLeast("message.timestamp.after.max.ms", timestampAfterMaxMs, 0);
        requireAtLeast("flush.messages", flushMessages, 1);
        requireAtLeast("flush.ms", flushMs, 0);
        requireAtLeast("retention.ms", retentionMs, -1);
        requireAtLeast("retention.bytes", retentionBytes, -1);
        requireAtLeast("file.delete.delay.ms", fileDeleteDelayMs, 0);
        requireAtLeast("delete.retention.ms", deleteRetentionMs, 0);
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new ConfigException("min.cleanable.dirty.ratio", String.valueOf(minCleanableDirtyRatio),
                    "must be between 0 and 1");
        }
        requireAtLeast("min.compaction.lag.ms", minCompactionLagMs, 0);
        requireAtLeast("max.compaction.lag.ms", maxCompactionLagMs, 1);
    }

    /** Kafka's defaults. */
    public static LogConfig defaults() {
        return new LogConfig(1024 * 1024 * 1024, 7 * 24 * 3600_000L, 10 * 1024 * 1024, 4096, 1024 * 1024 + 12,
                TimestampType.CREATE_TIME, Long.MAX_VALUE, 3600_000L, Long.MAX_VALUE, Long.MAX_VALUE,
                7 * 24 * 3600_000L, -1L, 60_000L, false, 86_400_000L, 0.5, 0L, Long.MAX_VALUE);
    }

    /**
     * Kafka's defaults overridden by the given topic-level properties (values as strings or
     * numbers). Unknown keys are ignored: a topic config carries settings owned by other modules.
     *
     * @throws ConfigException for a value that does not parse or is out of range
     */
    public static LogConfig fromProperties(Map<String, ?> props) {
        LogConfig d = defaults();
        // Kafka deletes by time and size only under cleanup.policy=delete; a compact-only topic
        // (such as __consumer_offsets) keeps every segment until the cleaner rewrites them.
        boolean deletes = !props.containsKey("cleanup.policy") || hasPolicy(props, "delete");
        boolean compact = props.containsKey("cleanup.policy") && hasPolicy(props, "compact");
        return new LogConfig(
                intProp(props, "segment.bytes", d.segmentBytes),
                longProp(props, "segment.ms", d.segmentMs),
                intProp(props, "segment.index.bytes", d.segmentIndexBytes),
                intProp(props, "index.interval.bytes", d.indexIntervalBytes),
                intProp(props, "max.message.bytes", d.maxMessageBytes),
                props.containsKey("message.timestamp.type")
                        ? TimestampType.forConfigName(String.valueOf(props.get("message.timestamp.type")).trim())
                        : d.timestampType,
                longProp(props, "message.timestamp.before.max.ms", d.timestampBeforeMaxMs),
                longProp(props, "message.timestamp.after.max.ms", d.timestampAfterMaxMs),
                longProp(props, "flush.messages", d.flushMessages),
                longProp(props, "flush.ms", d.flushMs),
                deletes ? longProp(props, "retention.ms", d.retentionMs) : -1,
                deletes ? longProp(props, "retention.bytes", d.retentionBytes) : -1,
                longProp(props, "file.delete.delay.ms", d.fileDeleteDelayMs),
                compact,
                longProp(props, "delete.retention.ms", d.deleteRetentionMs),
                doubleProp(props, "min.cleanable.dirty.ratio", d.minCleanableDirtyRatio),
                longProp(props, "min.compaction.lag.ms", d.minCompactionLagMs),
                longProp(props, "max.compaction.lag.ms", d.maxCompactionLagMs));
    }

    private static boolean hasPolicy(Map<String, ?> props, String policy) {
        return Arrays.stream(String.valueOf(props.get("cleanup.policy")).split(","))
                .anyMatch(p -> p.trim().equalsIgnoreCase(policy));
    }

    private static double doubleProp(Map<String, ?> props, String key, double fallback) {
        Object raw = props.get(key);
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw.toString(), "not a number");
        }
    }

    private static int intProp(Map<String, ?> props, String key, int fallback) {
        long v = longProp(props, key, fallback);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new ConfigException(key, String.valueOf(v), "does not fit an int");
        }
        return (int) v;
    }

    private static long longProp(Map<String, ?> props, String key, long fallback) {
        Object raw = props.get(key);
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw.toString(), "not a number");
        }
    }

    private static void requireAtLeast(String key, long value, long min) {
        if (value < min) {
            throw new ConfigException(key, String.valueOf(value), "must be at least " + min);
        }
    }
}
