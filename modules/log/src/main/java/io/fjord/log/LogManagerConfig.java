package io.fjord.log;

import io.fjord.api.ConfigException;

import java.util.Map;

/**
 * Broker-level settings of the {@link LogManager}, under Kafka's names and defaults.
 *
 * @param retentionCheckIntervalMs {@code log.retention.check.interval.ms}
 * @param flushCheckIntervalMs {@code log.flush.scheduler.interval.ms}: how often {@code flush.ms} is checked
 * @param recoveryPointCheckpointIntervalMs {@code log.flush.offset.checkpoint.interval.ms}
 * @param logStartOffsetCheckpointIntervalMs {@code log.flush.start.offset.checkpoint.interval.ms}
 * @param highWatermarkCheckpointIntervalMs {@code replica.high.watermark.checkpoint.interval.ms}
 * @param recoveryThreadsPerDataDir {@code num.recovery.threads.per.data.dir}
 * @param producerIdExpirationMs {@code producer.id.expiration.ms}: idle idempotent producers are forgotten after this
 * @param producerIdExpirationCheckIntervalMs {@code producer.id.expiration.check.interval.ms}
 */
public record LogManagerConfig(long retentionCheckIntervalMs, long flushCheckIntervalMs,
                               long recoveryPointCheckpointIntervalMs, long logStartOffsetCheckpointIntervalMs,
                               long highWatermarkCheckpointIntervalMs, int recoveryThreadsPerDataDir,
                               long producerIdExpirationMs, long producerIdExpirationCheckIntervalMs) {

    public LogManagerConfig {
        if (retentionCheckIntervalMs < 1 || flushCheckIntervalMs < 1 || recoveryPointCheckpointIntervalMs < 1
                || logStartOffsetCheckpointIntervalMs < 1 || highWatermarkCheckpointIntervalMs < 1
                || producerIdExpirationMs < 1 || producerIdExpirationCheckIntervalMs < 1) {
            throw new ConfigException("log manager intervals must be at least 1 ms");
        }
        if (recoveryThreadsPerDataDir < 1) {
            throw new ConfigException("num.recovery.threads.per.data.dir", recoveryThreadsPerDataDir, "at least 1");
        }
    }

    /** Kafka's defaults. */
    public static LogManagerConfig defaults() {
        return new LogManagerConfig(300_000L, Long.MAX_VALUE, 60_000L, 60_000L, 5_000L, 1, 86_400_000L, 600_000L);
    }

    /** Kafka's defaults overridden by broker properties; other keys are ignored. */
    public static LogManagerConfig fromProperties(Map<String, ?> props) {
        LogManagerConfig d = defaults();
        return new LogManagerConfig(
                longProp(props, "log.retention.check.interval.ms", d.retentionCheckIntervalMs),
                longProp(props, "log.flush.scheduler.interval.ms", d.flushCheckIntervalMs),
                longProp(props, "log.flush.offset.checkpoint.interval.ms", d.recoveryPointCheckpointIntervalMs),
                longProp(props, "log.flush.start.offset.checkpoint.interval.ms", d.logStartOffsetCheckpointIntervalMs),
                longProp(props, "replica.high.watermark.checkpoint.interval.ms", d.highWatermarkCheckpointIntervalMs),
                (int) longProp(props, "num.recovery.threads.per.data.dir", d.recoveryThreadsPerDataDir),
                longProp(props, "producer.id.expiration.ms", d.producerIdExpirationMs),
                longProp(props, "producer.id.expiration.check.interval.ms", d.producerIdExpirationCheckIntervalMs));
    }

    private static long longProp(Map<String, ?> props, String key, long fallback) {
        Object raw = props.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            return raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw, "not a number");
        }
    }
}
