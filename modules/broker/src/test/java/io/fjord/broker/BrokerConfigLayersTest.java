package io.fjord.broker;

import io.fjord.controller.ConfigEntry;
import io.fjord.controller.ConfigSource;
import io.fjord.controller.ConfigSynonym;
import io.fjord.controller.ConfigType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four layers of broker settings: precedence, synonyms in Kafka's order, and what each resource lists. */
class BrokerConfigLayersTest {

    private static Map<String, ConfigEntry> byName(List<ConfigEntry> entries) {
        return entries.stream().collect(Collectors.toMap(ConfigEntry::name, Function.identity()));
    }

    private static ConfigSynonym synonym(ConfigSource source, String name, String value) {
        return new ConfigSynonym(name, value, source);
    }

    @Test
    void aDynamicSettingHidesEverySynonymBelowIt() {
        BrokerConfigLayers layers = new BrokerConfigLayers(
                Map.of("log.retention.hours", "100", "log.roll.ms", "1000", "num.io.threads", "4"),
                Map.of("log.retention.ms", "5000", "num.io.threads", "6"),
                Map.of("num.io.threads", "7"));
        Map<String, String> effective = layers.effective();
        assertEquals("5000", effective.get("log.retention.ms"));
        assertFalse(effective.containsKey("log.retention.hours"), "the static hours form is hidden by the dynamic ms form");
        assertEquals("1000", effective.get("log.roll.ms"));
        assertEquals("7", effective.get("num.io.threads"), "per broker over the default over the static value");
    }

    @Test
    void theBrokerListsEverySettingWithItsLayersInKafkasOrder() {
        BrokerConfigLayers layers = new BrokerConfigLayers(
                Map.of("log.roll.hours", "5", "num.io.threads", "4", "fjord.extra", "x", "unknown.static", "y"),
                Map.of("log.roll.ms", "60000", "num.io.threads", "6"),
                Map.of("num.io.threads", "7", "custom.secret", "s"));
        Map<String, ConfigEntry> entries = byName(layers.describeBroker(null));
        assertTrue(entries.keySet().containsAll(BrokerConfigs.definitions().keySet()));
        ConfigEntry threads = entries.get("num.io.threads");
        assertEquals("7", threads.value());
        assertEquals(ConfigSource.DYNAMIC_BROKER_CONFIG, threads.source());
        assertEquals(List.of(synonym(ConfigSource.DYNAMIC_BROKER_CONFIG, "num.io.threads", "7"),
                synonym(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, "num.io.threads", "6"),
                synonym(ConfigSource.STATIC_BROKER_CONFIG, "num.io.threads", "4"),
                synonym(ConfigSource.DEFAULT_CONFIG, "num.io.threads", "8")), threads.synonyms());
        ConfigEntry rollMs = entries.get("log.roll.ms");
        assertEquals(List.of(synonym(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, "log.roll.ms", "60000"),
                synonym(ConfigSource.STATIC_BROKER_CONFIG, "log.roll.hours", "5"),
                synonym(ConfigSource.DEFAULT_CONFIG, "log.roll.hours", "168")), rollMs.synonyms());
        // Described by its own name, the hours form starts where that name first appears.
        ConfigEntry rollHours = entries.get("log.roll.hours");
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, rollHours.source());
        assertEquals("168", rollHours.value(), "hidden by the dynamic log.roll.ms, as in Kafka's merged settings");
        assertEquals(List.of(synonym(ConfigSource.STATIC_BROKER_CONFIG, "log.roll.hours", "5"),
                synonym(ConfigSource.DEFAULT_CONFIG, "log.roll.hours", "168")), rollHours.synonyms());
        // Without a value anywhere: Kafka's default, or null where it has none.
        assertEquals(ConfigSource.DEFAULT_CONFIG, entries.get("log.retention.ms").source());
        assertNull(entries.get("log.retention.ms").value());
        assertEquals(List.of(), entries.get("log.retention.ms").synonyms(),
                "Kafka drops the leading synonyms of other names, here the hours form's default");
        // Fjord's own settings are plain strings; names nobody defines are hidden, as Kafka hides them.
        assertEquals("x", entries.get("fjord.extra").value());
        assertEquals(ConfigType.STRING, entries.get("fjord.extra").type());
        ConfigEntry secret = entries.get("custom.secret");
        assertNull(secret.value());
        assertEquals(ConfigType.UNKNOWN, secret.type());
        assertEquals(List.of(synonym(ConfigSource.DYNAMIC_BROKER_CONFIG, "custom.secret", null)), secret.synonyms());
        assertTrue(BrokerConfigLayers.isSensitive("unknown.static"));
        assertEquals(List.of("num.io.threads"), layers.describeBroker(List.of("num.io.threads", "no.such.key"))
                .stream().map(ConfigEntry::name).toList());
    }

    @Test
    void theDefaultListsOnlyItsOwnLayer() {
        BrokerConfigLayers layers = new BrokerConfigLayers(Map.of("num.io.threads", "4"),
                Map.of("num.io.threads", "6", "log.retention.ms", "5000"), Map.of("num.io.threads", "7"));
        List<ConfigEntry> entries = layers.describeDefault(null);
        assertEquals(List.of("log.retention.ms", "num.io.threads"), entries.stream().map(ConfigEntry::name).toList());
        ConfigEntry threads = entries.get(1);
        assertEquals("6", threads.value(), "the default's value, not this broker's");
        assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, threads.source());
        assertEquals(List.of(synonym(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, "num.io.threads", "6")), threads.synonyms());
        assertEquals(List.of(), new BrokerConfigLayers(Map.of("num.io.threads", "4"), Map.of(), Map.of()).describeDefault(null));
    }
}
