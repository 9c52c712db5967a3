package io.fjord.controller;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The broker settings altered at run time (Kafka's KIP-226 dynamic broker configs), as the
 * metadata holds them: the cluster-wide defaults, and the settings of single brokers by id. Only
 * names and values are kept; which names may be set, and to what, is the broker's to check.
 *
 * <p>Invariants: deeply immutable; no map holds a null key or value; a broker without settings
 * has no entry in {@code perBroker}, so equal contents give equal records.
 *
 * @param clusterDefault the settings of every broker that does not set them itself
 * @param perBroker      the settings of single brokers, by broker id
 */
public record DynamicBrokerConfigs(Map<String, String> clusterDefault, Map<Integer, Map<String, String>> perBroker) {

    /** No dynamic settings at all. */
    public static final DynamicBrokerConfigs NONE = new DynamicBrokerConfigs(Map.of(), Map.of());

    public DynamicBrokerConfigs {
        clusterDefault = Map.copyOf(clusterDefault);
        Map<Integer, Map<String, String>> copy = new HashMap<>();
        perBroker.forEach((id, configs) -> {
            if (!configs.isEmpty()) {
                copy.put(Objects.requireNonNull(id, "broker id"), Map.copyOf(configs));
            }
        });
        perBroker = Map.copyOf(copy);
    }

    /** The settings of one broker ({@code brokerId} present) or the cluster-wide defaults (empty). */
    public Map<String, String> of(OptionalInt brokerId) {
        return brokerId.isPresent() ? perBroker.getOrDefault(brokerId.getAsInt(), Map.of()) : clusterDefault;
    }

    /** These settings with those of one broker, or the cluster-wide defaults, replaced by {@code configs}. */
    public DynamicBrokerConfigs with(OptionalInt brokerId, Map<String, String> configs) {
        if (brokerId.isEmpty()) {
            return new DynamicBrokerConfigs(configs, perBroker);
        }
        Map<Integer, Map<String, String>> changed = new HashMap<>(perBroker);
        changed.put(brokerId.getAsInt(), configs);
        return new DynamicBrokerConfigs(clusterDefault, changed);
    }
}
