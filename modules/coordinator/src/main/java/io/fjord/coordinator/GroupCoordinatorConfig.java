package io.fjord.coordinator;

import io.fjord.api.ConfigException;

import java.util.Map;
import java.util.Set;

/**
 * The coordinator's settings, under Kafka's broker property names and with Kafka's defaults.
 *
 * @param groupMinSessionTimeoutMs {@code group.min.session.timeout.ms}, default 6000
 * @param groupMaxSessionTimeoutMs {@code group.max.session.timeout.ms}, default 1800000
 * @param groupInitialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}, default 3000
 * @param groupMaxSize {@code group.max.size}, default {@link Integer#MAX_VALUE}
 * @param offsetsRetentionMs {@code offsets.retention.minutes} in milliseconds, default 7 days
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms}, default 600000
 * @param offsetMetadataMaxBytes {@code offset.metadata.max.bytes}, default 4096
 * @param offsetsCommitTimeoutMs {@code offsets.commit.timeout.ms}, default 5000
 * @param offsetsLoadBufferSize {@code offsets.load.buffer.size}, default 5 MiB: the read size
 *     when replaying an offsets partition
 */
public record GroupCoordinatorConfig(int groupMinSessionTimeoutMs, int groupMaxSessionTimeoutMs,
        int groupInitialRebalanceDelayMs, int groupMaxSize, long offsetsRetentionMs,
        long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes, int offsetsCommitTimeoutMs,
        int offsetsLoadBufferSize) {

    /** The property names this record reads. */
    public static final Set<String> KEYS = Set.of(
            "group.min.session.timeout.ms", "group.max.session.timeout.ms",
            "group.initial.rebalance.delay.ms", "group.max.size", "offsets.retention.minutes",
            "offsets.retention.check.interval.ms", "offset.metadata.max.bytes",
            "offsets.commit.timeout.ms", "offsets.load.buffer.size");

    /** Kafka's defaults. */
    public static final GroupCoordinatorConfig DEFAULTS = from(Map.of());

    /**
     * The settings in {@code props}; absent keys take Kafka's defaults.
     *
     * @throws ConfigException for a value that is not a number or is out of range
     */
    public static GroupCoordinatorConfig from(Map<String, String> props) {
        int minSession = intAtLeast(props, "group.min.session.timeout.ms", 6000, 0);
        int maxSession = intAtLeast(props, "group.max.session.timeout.ms", 1_800_000, 0);
        if (maxSession < minSession) {
            throw new ConfigException("group.max.session.timeout.ms", Integer.toString(maxSession),
                    "at least group.min.session.timeout.ms (" + minSession + ")");
        }
        return new GroupCoordinatorConfig(minSession, maxSession,
                intAtLeast(props, "group.initial.rebalance.delay.ms", 3000, 0),
                intAtLeast(props, "group.max.size", Integer.MAX_VALUE, 1),
                intAtLeast(props, "offsets.retention.minutes", 7 * 24 * 60, 1) * 60_000L,
                intAtLeast(props, "offsets.retention.check.interval.ms", 600_000, 1),
                intAtLeast(props, "offset.metadata.max.bytes", 4096, 0),
                intAtLeast(props, "offsets.commit.timeout.ms", 5000, 1),
                intAtLeast(props, "offsets.load.buffer.size", 5 * 1024 * 1024, 1));
    }

    private static int intAtLeast(Map<String, String> props, String key, int defaultValue, int min) {
        String raw = props.get(key);
        if (raw == null) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw, "an integer");
        }
        if (value < min) {
            throw new ConfigException(key, raw, "at least " + min);
        }
        return value;
    }
}
