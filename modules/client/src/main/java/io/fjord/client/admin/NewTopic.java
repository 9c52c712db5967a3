package io.fjord.client.admin;

import java.util.Map;
import java.util.Objects;

/**
 * A topic to create.
 *
 * @param partitions the partition count, or -1 for the broker's {@code num.partitions}
 * @param replicationFactor the replica count, or -1 for the broker's default
 * @param configs topic configs such as {@code retention.ms}
 */
public record NewTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public NewTopic {
        Objects.requireNonNull(name, "name");
        configs = Map.copyOf(configs);
    }

    public NewTopic(String name, int partitions, short replicationFactor) {
        this(name, partitions, replicationFactor, Map.of());
    }
}
