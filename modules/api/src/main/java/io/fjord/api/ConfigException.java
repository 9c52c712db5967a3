package io.fjord.api;

/**
 * A configuration value that is missing, malformed or out of range. The message names the key,
 * the value and what was expected, so it can be shown to a user as it is.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String key, Object value, String expected) {
        super("Invalid value " + value + " for configuration " + key + ": " + expected);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
