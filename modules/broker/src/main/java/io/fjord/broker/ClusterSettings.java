package io.fjord.broker;

import io.fjord.api.ConfigException;

import java.util.Map;
import java.util.TreeMap;

/**
 * A broker's cluster settings, Kafka's keys: {@code zookeeper.connect} makes the broker a member of
 * a cluster on ZooKeeper (through the coordination plugin); without it the broker runs alone.
 *
 * @param zookeeperConnect            {@code zookeeper.connect}, or null for a single node
 * @param engineConfig                the engine's settings: every {@code zookeeper.*} key, prefix removed
 * @param rack                        {@code broker.rack}, or null
 * @param controlledShutdown          {@code controlled.shutdown.enable} (true)
 * @param controlledShutdownRetries   {@code controlled.shutdown.max.retries} (3)
 * @param controlledShutdownBackoffMs {@code controlled.shutdown.retry.backoff.ms} (5000)
 * @param controllerSocketTimeoutMs   {@code controller.socket.timeout.ms} (30000): requests between
 *                                    brokers and the controller
 */
record ClusterSettings(String zookeeperConnect, Map<String, String> engineConfig, String rack,
                       boolean controlledShutdown, int controlledShutdownRetries, long controlledShutdownBackoffMs,
                       long controllerSocketTimeoutMs) {

    static final String ZOOKEEPER_PREFIX = "zookeeper.";

    static ClusterSettings from(Map<String, String> properties) {
        Map<String, String> engine = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(ZOOKEEPER_PREFIX)) {
                engine.put(k.substring(ZOOKEEPER_PREFIX.length()), v.trim());
            }
        });
        String connect = properties.get("zookeeper.connect");
        String rack = properties.get("broker.rack");
        return new ClusterSettings(connect == null || connect.isBlank() ? null : connect.trim(), Map.copyOf(engine),
                rack == null || rack.isBlank() ? null : rack.trim(),
                Boolean.parseBoolean(properties.getOrDefault("controlled.shutdown.enable", "true").trim()),
                (int) number(properties, "controlled.shutdown.max.retries", 3, 1),
                number(properties, "controlled.shutdown.retry.backoff.ms", 5000, 0),
                number(properties, "controller.socket.timeout.ms", 30000, 1));
    }

    boolean clustered() {
        return zookeeperConnect != null;
    }

    private static long number(Map<String, String> properties, String key, long fallback, long min) {
        String value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(key, value, "a whole number of at least " + min);
    }
}
