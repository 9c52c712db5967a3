package io.fjord.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster knows of one partition.
 *
 * @param topic the topic
 * @param partition the partition number
 * @param leader the current leader, empty while none is available
 * @param replicas all replicas, leader included
 * @param inSyncReplicas the replicas that are caught up (the ISR)
 */
public record PartitionInfo(String topic, int partition, Optional<Node> leader,
                            List<Node> replicas, List<Node> inSyncReplicas) {

    public PartitionInfo {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(leader, "leader");
        replicas = List.copyOf(replicas);
        inSyncReplicas = List.copyOf(inSyncReplicas);
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
