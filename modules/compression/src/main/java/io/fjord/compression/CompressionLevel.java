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
     * @throws ConfigException if the value is not an integer in {@code [min, max]}
     */
    static int parse(Map<String, String> config, String codecName, int defaultLevel, int min, int max) {
        // min as the special value: it is in range already, so nothing beyond the range is accepted.
        return parse(config, codecName, defaultLevel, min, max, "an integer in [" + min + ", " + max + "]", min);
    }

    /**
     * The configured level, or {@code defaultLevel} when none is set, also accepting
     * {@code special} outside {@code [min, max]} (gzip's -1, the deflater's own default).
     *
     * @throws ConfigException if the value is not an integer in range nor {@code special}
     */
    static int parse(Map<String, String> config, String codecName, int defaultLevel, int min, int max,
                     int special) {
        return parse(config, codecName, defaultLevel, min, max,
                "an integer in [" + min + ", " + max + "] or " + special, special);
    }

    private static int parse(Map<String, String> config, String codecName, int defaultLevel, int min, int max,
                             String expected, int special) {
        String fullKey = "compression." + codecName + "." + KEY;
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
        if ((level < min || level > max) && level != special) {
            throw new ConfigException(fullKey, raw, expected);
        }
        return level;
    }
}
