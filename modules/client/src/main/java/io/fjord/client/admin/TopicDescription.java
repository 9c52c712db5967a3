package io.fjord.client.admin;

import io.fjord.api.Node;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A topic as Metadata describes it. */
public record TopicDescription(String name, boolean internal, UUID topicId, List<Partition> partitions) {

    /** One partition: its leader if it has one, replicas and in-sync replicas. */
    public record Partition(int partition, Optional<Node> leader, List<Node> replicas, List<Node> isr) {
    }
}
