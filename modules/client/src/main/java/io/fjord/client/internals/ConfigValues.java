package io.fjord.client.internals;

import io.fjord.api.ConfigException;

import java.util.Map;

/** Reading a client's string-valued settings, with Kafka's messages for a bad value. */
public final class ConfigValues {

    private ConfigValues() {
    }

    public static String string(Map<String, String> values, String key, String defaultValue) {
        String value = values.get(key);
        return value == null ? defaultValue : value;
    }

    /**
     * The setting as a number of at least {@code min}, or {@code defaultValue} when unset.
     *
     * @throws ConfigException when it is not a number or below {@code min}
     */
    public static long number(Map<String, String> values, String key, long defaultValue, long min) {
        String value = values.get(key);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid value " + value + " for " + key + ": not a number");
        }
        if (parsed < min) {
            throw new ConfigException("Invalid value " + value + " for " + key + ": must be at least " + min);
        }
        return parsed;
    }
}
