package io.fjord.controller;

import java.util.List;
import java.util.Objects;

/**
 * One config as DescribeConfigs reports it: the effective value, where it comes from, its type
 * and the settings it was chosen from.
 *
 * @param name     the config name, e.g. {@code retention.ms}
 * @param value    the effective value as a string; null for a setting without a value
 * @param source   where the value comes from: the first synonym's source, or Kafka's default
 * @param type     the value's type
 * @param synonyms the settings that could give the value, the one that does first: the topic's
 *                 override, then the broker settings in the order they apply, then their defaults
 */
public record ConfigEntry(String name, String value, ConfigSource source, ConfigType type,
                          List<ConfigSynonym> synonyms) {

    public ConfigEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        synonyms = List.copyOf(synonyms);
    }

    /** Whether the value is Kafka's built-in default (Kafka's {@code is_default}). */
    public boolean isDefault() {
        return source == ConfigSource.DEFAULT_CONFIG;
    }
}
