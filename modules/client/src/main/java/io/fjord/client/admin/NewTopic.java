package io.fjord.client.admin;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A topic to create.
 *
 * @param partitions the partition count, or -1 for the broker's {@code num.partitions}
 * @param replicationFactor the replica count, or -1 for the broker's default
 * @param configs topic configs such as {@code retention.ms}
 * @param replicasAssignments the brokers of each partition, the first preferred as leader; empty to
 *                            let the broker place them (then partitions and replication factor are -1)
 */
public record NewTopic(String name, int partitions, short replicationFactor, Map<String, String> configs,
                       Map<Integer, List<Integer>> replicasAssignments) {

    public NewTopic {
        Objects.requireNonNull(name, "name");
        configs = Map.copyOf(configs);
        Map<Integer, List<Integer>> assignments = new TreeMap<>();
        replicasAssignments.forEach((p, brokers) -> assignments.put(p, List.copyOf(brokers)));
        replicasAssignments = Collections.unmodifiableMap(assignments);
    }

    public NewTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        this(name, partitions, replicationFactor, configs, Map.of());
    }

    public NewTopic(String name, int partitions, short replicationFactor) {
        this(name, partitions, replicationFactor, Map.of(), Map.of());
    }

    /** A topic whose partitions sit on the given brokers (partition -> replicas). */
    public NewTopic(String name, Map<Integer, List<Integer>> replicasAssignments, Map<String, String> configs) {
        this(name, -1, (short) -1, configs, replicasAssignments);
    }
}
