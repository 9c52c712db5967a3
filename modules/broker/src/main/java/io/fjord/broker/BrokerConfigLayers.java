package io.fjord.broker;

import io.fjord.controller.ConfigEntry;
import io.fjord.controller.ConfigSource;
import io.fjord.controller.ConfigSynonym;
import io.fjord.controller.ConfigType;
import io.fjord.controller.DynamicBrokerConfigs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A broker's settings in the four layers Kafka has, highest precedence first: dynamic for this
 * broker, dynamic cluster-wide default, static ({@code server.properties} and overrides), Kafka's
 * default. Gives the effective settings and describes them as Kafka's DescribeConfigs does for
 * the broker and for the cluster-wide default.
 *
 * <p>Invariants: immutable. A dynamic setting replaces every synonym of it below (a dynamic {@code
 * log.retention.ms} hides a static {@code log.retention.hours}), as Kafka merges its layers, so
 * {@link #effective()} never mixes two forms of one setting from different layers.
 *
 * @param staticSettings the broker's {@code server.properties} with overrides
 * @param dynamicDefault the cluster-wide dynamic settings
 * @param dynamicBroker  this broker's dynamic settings
 */
record BrokerConfigLayers(Map<String, String> staticSettings, Map<String, String> dynamicDefault,
                          Map<String, String> dynamicBroker) {

    BrokerConfigLayers {
        staticSettings = Map.copyOf(staticSettings);
        dynamicDefault = Map.copyOf(dynamicDefault);
        dynamicBroker = Map.copyOf(dynamicBroker);
    }

    /** The layers of broker {@code nodeId} with the dynamic settings the metadata holds. */
    static BrokerConfigLayers of(Map<String, String> staticSettings, DynamicBrokerConfigs dynamic, int nodeId) {
        return new BrokerConfigLayers(staticSettings, dynamic.clusterDefault(), dynamic.of(OptionalInt.of(nodeId)));
    }

    /** These layers with the dynamic settings of {@code target} (empty: the default) replaced. */
    BrokerConfigLayers with(OptionalInt target, Map<String, String> dynamic) {
        return target.isPresent() ? new BrokerConfigLayers(staticSettings, dynamicDefault, dynamic)
                : new BrokerConfigLayers(staticSettings, dynamic, dynamicBroker);
    }

    /** The settings the broker runs with: static, then the dynamic default, then its own, each hiding synonyms below. */
    Map<String, String> effective() {
        Map<String, String> merged = new HashMap<>(staticSettings);
        override(merged, dynamicDefault);
        override(merged, dynamicBroker);
        return merged;
    }

    private static void override(Map<String, String> settings, Map<String, String> layer) {
        layer.forEach((key, value) -> {
            BrokerConfigs.synonyms(key).forEach(settings::remove);
            settings.put(key, value);
        });
    }

    /** Whether a name is a setting whose value Kafka would hide: one it does not define (a custom setting). */
    static boolean isSensitive(String name) {
        return BrokerConfigs.definition(name) == null && !name.startsWith("fjord.");
    }

    static ConfigType typeOf(String name) {
        BrokerConfigs.Definition def = BrokerConfigs.definition(name);
        if (def != null) {
            return def.type();
        }
        return name.startsWith("fjord.") ? ConfigType.STRING : ConfigType.UNKNOWN;
    }

    /**
     * The broker's settings as DescribeConfigs lists them for the broker itself, sorted by name:
     * every setting Fjord knows, plus the others set in any layer; only {@code keys} when not null.
     */
    List<ConfigEntry> describeBroker(Collection<String> keys) {
        TreeSet<String> names = new TreeSet<>(BrokerConfigs.definitions().keySet());
        names.addAll(staticSettings.keySet());
        names.addAll(dynamicDefault.keySet());
        names.addAll(dynamicBroker.keySet());
        Map<String, String> effective = effective();
        List<ConfigEntry> entries = new ArrayList<>();
        for (String name : names) {
            if (keys != null && !keys.contains(name)) {
                continue;
            }
            BrokerConfigs.Definition def = BrokerConfigs.definition(name);
            String value = effective.containsKey(name) ? effective.get(name) : def == null ? null : def.kafkaDefault();
            entries.add(entry(name, value, synonyms(name, true)));
        }
        return entries;
    }

    /**
     * The cluster-wide default as DescribeConfigs lists it: only the settings set dynamically at
     * that level, each with its dynamic-default synonyms alone, as Kafka answers.
     */
    List<ConfigEntry> describeDefault(Collection<String> keys) {
        List<ConfigEntry> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(dynamicDefault).entrySet()) {
            if (keys == null || keys.contains(e.getKey())) {
                entries.add(entry(e.getKey(), e.getValue(), synonyms(e.getKey(), false)));
            }
        }
        return entries;
    }

    private static ConfigEntry entry(String name, String value, List<ConfigSynonym> synonyms) {
        ConfigSource source = synonyms.isEmpty() ? ConfigSource.DEFAULT_CONFIG : synonyms.get(0).source();
        return new ConfigEntry(name, isSensitive(name) ? null : value, source, typeOf(name), synonyms);
    }

    /**
     * The settings a value could come from, layer by layer and within a layer in the synonyms'
     * order, starting at the first that carries the described name itself (Kafka drops a
     * higher-precedence synonym of another name from the head of the list).
     */
    private List<ConfigSynonym> synonyms(String name, boolean perBroker) {
        List<String> names = BrokerConfigs.synonyms(name);
        boolean hidden = isSensitive(name);
        List<ConfigSynonym> all = new ArrayList<>();
        add(all, names, dynamicBroker, ConfigSource.DYNAMIC_BROKER_CONFIG, hidden);
        add(all, names, dynamicDefault, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, hidden);
        add(all, names, staticSettings, ConfigSource.STATIC_BROKER_CONFIG, hidden);
        Map<String, String> defaults = new HashMap<>();
        for (String synonym : names) {
            BrokerConfigs.Definition def = BrokerConfigs.definition(synonym);
            if (def != null && def.kafkaDefault() != null) {
                defaults.put(synonym, def.kafkaDefault());
            }
        }
        add(all, names, defaults, ConfigSource.DEFAULT_CONFIG, hidden);
        int first = 0;
        while (first < all.size() && !all.get(first).name().equals(name)) {
            first++;
        }
        List<ConfigSynonym> kept = new ArrayList<>();
        for (ConfigSynonym s : all.subList(first, all.size())) {
            if (perBroker || s.source() == ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG) {
                kept.add(s);
            }
        }
        return kept;
    }

    private static void add(List<ConfigSynonym> to, List<String> names, Map<String, String> layer, ConfigSource source,
                            boolean hidden) {
        for (String name : names) {
            String value = layer.get(name);
            if (value != null) {
                to.add(new ConfigSynonym(name, hidden ? null : value.trim(), source));
            }
        }
    }
}
