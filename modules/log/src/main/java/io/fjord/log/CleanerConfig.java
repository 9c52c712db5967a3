package io.fjord.log;

import io.fjord.api.ConfigException;

import java.util.Map;

/**
 * Broker-level settings of the {@link LogCleaner}, under Kafka's names and defaults.
 *
 * @param enabled {@code log.cleaner.enable}: whether cleaner threads run
 * @param threads {@code log.cleaner.threads}
 * @param dedupeBufferSize {@code log.cleaner.dedupe.buffer.size}: memory of the offset maps, shared by the threads
 * @param ioBufferSize {@code log.cleaner.io.buffer.size}: buffer memory of the threads (half read, half write)
 * @param ioBufferLoadFactor {@code log.cleaner.io.buffer.load.factor}: how full an offset map may get
 * @param maxIoBytesPerSecond {@code log.cleaner.io.max.bytes.per.second}: read and write rate of all threads together
 * @param backoffMs {@code log.cleaner.backoff.ms}: the pause when no log needs cleaning
 */
public record CleanerConfig(boolean enabled, int threads, long dedupeBufferSize, int ioBufferSize,
                            double ioBufferLoadFactor, double maxIoBytesPerSecond, long backoffMs) {

    public CleanerConfig {
        if (threads < 1) {
            throw new ConfigException("log.cleaner.threads", threads, "at least 1");
        }
        if (ioBufferSize < 1024) {
            throw new ConfigException("log.cleaner.io.buffer.size", ioBufferSize, "at least 1024");
        }
        // Kafka's lower bound: every thread's map must hold a few keys.
        if (dedupeBufferSize / threads < 1024 * 1024) {
            throw new ConfigException("log.cleaner.dedupe.buffer.size", dedupeBufferSize,
                    "at least 1 MiB per cleaner thread");
        }
        if (!(ioBufferLoadFactor > 0 && ioBufferLoadFactor <= 0.99)) {
            throw new ConfigException("log.cleaner.io.buffer.load.factor", ioBufferLoadFactor, "between 0 and 0.99");
        }
        if (!(maxIoBytesPerSecond > 0)) {
            throw new ConfigException("log.cleaner.io.max.bytes.per.second", maxIoBytesPerSecond, "positive");
        }
        if (backoffMs < 0) {
            throw new ConfigException("log.cleaner.backoff.ms", backoffMs, "at least 0");
        }
    }

    /** Kafka's defaults. */
    public static CleanerConfig defaults() {
        return new CleanerConfig(true, 1, 128L * 1024 * 1024, 512 * 1024, 0.9, Double.MAX_VALUE, 15_000L);
    }

    /** Kafka's defaults overridden by broker properties; other keys are ignored. */
    public static CleanerConfig fromProperties(Map<String, ?> props) {
        CleanerConfig d = defaults();
        return new CleanerConfig(
                props.containsKey("log.cleaner.enable")
                        ? Boolean.parseBoolean(String.valueOf(props.get("log.cleaner.enable")).trim()) : d.enabled,
                (int) number(props, "log.cleaner.threads", d.threads),
                (long) number(props, "log.cleaner.dedupe.buffer.size", d.dedupeBufferSize),
                (int) number(props, "log.cleaner.io.buffer.size", d.ioBufferSize),
                number(props, "log.cleaner.io.buffer.load.factor", d.ioBufferLoadFactor),
                number(props, "log.cleaner.io.max.bytes.per.second", d.maxIoBytesPerSecond),
                (long) number(props, "log.cleaner.backoff.ms", d.backoffMs));
    }

    /** The memory of one thread's offset map: Kafka caps it at 2 GiB. */
    long dedupeBufferPerThread() {
        return Math.min(dedupeBufferSize / threads, Integer.MAX_VALUE);
    }

    private static double number(Map<String, ?> props, String key, double fallback) {
        Object raw = props.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            return raw instanceof Number n ? n.doubleValue() : Double.parseDouble(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, raw, "not a number");
        }
    }
}
