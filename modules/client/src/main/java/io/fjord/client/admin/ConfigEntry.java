package io.fjord.client.admin;

/**
 * One config value as described.
 *
 * @param value {@code null} for a sensitive value or one not set
 * @param source Kafka's source code: 1 topic, 4 static broker, 5 default, and so on
 */
public record ConfigEntry(String name, String value, boolean isDefault, boolean readOnly, boolean sensitive, int source) {

    /** Kafka's code for a default value. */
    public static final int DEFAULT_CONFIG = 5;
}
