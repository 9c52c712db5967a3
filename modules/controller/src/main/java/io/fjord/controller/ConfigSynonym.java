package io.fjord.controller;

import java.util.Objects;

/**
 * One setting a config's value may come from, as DescribeConfigs lists them: a topic override, a
 * broker setting (under the broker's name for it, such as {@code log.retention.hours} for {@code
 * retention.ms}) or a default.
 *
 * @param name   the setting's name
 * @param value  its value, in the setting's own unit
 * @param source where the setting lives
 */
public record ConfigSynonym(String name, String value, ConfigSource source) {

    public ConfigSynonym {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }
}
