package io.fjord.plugin.keyprefix;

import io.fjord.api.Cluster;
import io.fjord.api.ConfigException;
import io.fjord.api.producer.Partitioner;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code key-prefix} partitioner: the prefix of a record's key (the text before the
 * separator, {@code :} unless set) picks the partition. Prefixes listed in {@code routes} go to
 * their partition ({@code routes=eu:0,us:1}); any other prefix, and a key without a separator, is
 * hashed over the topic's partitions, so one prefix always lands in one partition. A record
 * without a key goes to partition 0.
 *
 * <p>Settings (under {@code partitioner.key-prefix.}): {@code routes}, {@code separator}. A route
 * to a partition the topic does not have fails that send (the producer reports it).
 *
 * <p>Immutable after {@link #configure}; thread-safe.
 */
public final class KeyPrefixPartitioner implements Partitioner {

    public static final String NAME = "key-prefix";

    private Map<String, Integer> routes = Map.of();
    private String separator = ":";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void configure(Map<String, String> config) {
        String sep = config.getOrDefault("separator", ":");
        if (sep.isEmpty()) {
            throw new ConfigException("separator", sep, "a non-empty string");
        }
        Map<String, Integer> parsed = new HashMap<>();
        String list = config.getOrDefault("routes", "").trim();
        for (String route : list.isEmpty() ? new String[0] : list.split(",")) {
            int colon = route.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException("routes", list, "prefix:partition pairs separated by commas");
            }
            int partition;
            try {
                partition = Integer.parseInt(route.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("routes", list, "a partition number after each prefix");
            }
            if (partition < 0) {
                throw new ConfigException("routes", list, "partitions of zero or more");
            }
            parsed.put(route.substring(0, colon).trim(), partition);
        }
        this.separator = sep;
        this.routes = Map.copyOf(parsed);
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        if (keyBytes == null) {
            return 0;
        }
        String prefix = prefixOf(new String(keyBytes, StandardCharsets.UTF_8));
        Integer routed = routes.get(prefix);
        if (routed != null) {
            return routed;
        }
        int partitions = cluster.partitionCountForTopic(topic).orElse(1);
        return Math.floorMod(prefix.hashCode(), partitions);
    }

    /** The text before the separator, or the whole key without one. */
    String prefixOf(String key) {
        int at = key.indexOf(separator);
        return at < 0 ? key : key.substring(0, at);
    }
}
