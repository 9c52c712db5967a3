package io.fjord.controller;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A topic to create, as a CreateTopics request describes it.
 *
 * @param name              the topic name
 * @param numPartitions     the number of partitions, or -1 for the broker's {@code num.partitions}
 *                          (must be -1 when {@code assignments} is given)
 * @param replicationFactor the replication factor, or -1 for {@code default.replication.factor}
 *                          (must be -1 when {@code assignments} is given)
 * @param assignments       a manual assignment: partition index to broker ids, or empty
 * @param configs           config overrides; values may be null (the wire allows it, validation refuses it)
 */
public record NewTopic(String name, int numPartitions, int replicationFactor,
                       Map<Integer, List<Integer>> assignments, Map<String, String> configs) {

    public NewTopic {
        Objects.requireNonNull(name, "name");
        Map<Integer, List<Integer>> sorted = new TreeMap<>();
        for (Map.Entry<Integer, List<Integer>> e : assignments.entrySet()) {
            sorted.put(e.getKey(), List.copyOf(e.getValue()));
        }
        assignments = Collections.unmodifiableMap(sorted);
        // Not Map.copyOf: a null value must reach validation, which answers INVALID_CONFIG.
        configs = Collections.unmodifiableMap(new LinkedHashMap<>(configs));
    }

    /** A topic with the given partition count and replication factor, no overrides. */
    public static NewTopic of(String name, int numPartitions, int replicationFactor) {
        return new NewTopic(name, numPartitions, replicationFactor, Map.of(), Map.of());
    }

    /** This topic with the given config overrides. */
    public NewTopic withConfigs(Map<String, String> newConfigs) {
        return new NewTopic(name, numPartitions, replicationFactor, assignments, newConfigs);
    }
}
