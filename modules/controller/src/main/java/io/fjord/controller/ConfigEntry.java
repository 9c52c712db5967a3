package io.fjord.controller;

import java.util.Objects;

/**
 * One config of a topic as DescribeConfigs reports it: the effective value and where it comes
 * from.
 *
 * @param name   the topic config name, e.g. {@code retention.ms}
 * @param value  the effective value as a string, never null for topic configs
 * @param source whether the topic overrides it, the broker sets it, or Kafka's default applies
 */
public record ConfigEntry(String name, String value, ConfigSource source) {

    public ConfigEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    /** Whether the value is Kafka's built-in default (Kafka's {@code is_default}). */
    public boolean isDefault() {
        return source == ConfigSource.DEFAULT_CONFIG;
    }
}
