package io.fjord.compression;

import io.fjord.api.ConfigException;

import java.util.Map;

/**
 * Reads a codec's {@code level} setting, which users write as Kafka's
 * {@code compression.<codec>.level}; errors name that full key.
 */
final class CompressionLevel {

    static final String KEY = "level";

    private CompressionLevel() {
    }

    /**
     * The configured level, or {@code defaultLevel} when none is set.
     *
     * @param extra one more accepted value outside {@code [min, max]} (gzip's -1), or {@code min}
     *     when there is none
     * @throws ConfigException if the value is not an integer in range
     */
    static int parse(Map<String, String> config, String codecName, int defaultLevel,
                     int min, int max, int extra) {
        String fullKey = "compression." + codecName + "." + KEY;
        String expected = extra < min || extra > max
                ? "an integer in [" + min + ", " + max + "] or " + extra
                : "an integer in [" + min + ", " + max + "]";
        String raw = config.get(KEY);
        if (raw == null) {
            return defaultLevel;
        }
        int level;
        try {
            level = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(fullKey, raw, expected);
        }
        if ((level < min || level > max) && level != extra) {
            throw new ConfigException(fullKey, raw, expected);
        }
        return level;
    }
}
