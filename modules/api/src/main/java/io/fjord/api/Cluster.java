package io.fjord.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable, read-only view of the cluster's metadata at one moment: brokers, topics and their
 * partitions. Plugins receive it (a partitioner picks among {@link #availablePartitionsForTopic},
 * an assignor reads partition counts) and must not expect it to change; a newer view is a new
 * instance. Lookups are precomputed, so they cost a map access.
 */
public final class Cluster {

    private final String clusterId;
    private final List<Node> nodes;
    private final Map<String, List<PartitionInfo>> partitionsByTopic;
    private final Map<String, List<PartitionInfo>> availableByTopic;

    /**
     * @param clusterId the cluster id, or null when not known
     * @param nodes the brokers
     * @param partitions every partition of every known topic, in any order
     */
    public Cluster(String clusterId, Collection<Node> nodes, Collection<PartitionInfo> partitions) {
        this.clusterId = clusterId;
        this.nodes = List.copyOf(nodes);
        Map<String, List<PartitionInfo>> all = new TreeMap<>();
        for (PartitionInfo p : partitions) {
            all.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p);
        }
        Map<String, List<PartitionInfo>> byTopic = new TreeMap<>();
        Map<String, List<PartitionInfo>> available = new TreeMap<>();
        for (Map.Entry<String, List<PartitionInfo>> e : all.entrySet()) {
            List<PartitionInfo> list = e.getValue();
            list.sort(Comparator.comparingInt(PartitionInfo::partition));
            byTopic.put(e.getKey(), List.copyOf(list));
            available.put(e.getKey(), list.stream().filter(p -> p.leader().isPresent()).toList());
        }
        this.partitionsByTopic = Collections.unmodifiableMap(byTopic);
        this.availableByTopic = Collections.unmodifiableMap(available);
    }

    /** A cluster with no brokers and no topics. */
    public static Cluster empty() {
        return new Cluster(null, List.of(), List.of());
    }

    public Optional<String> clusterId() {
        return Optional.ofNullable(clusterId);
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Optional<Node> nodeById(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst();
    }

    /** The names of all known topics, in name order. */
    public Set<String> topics() {
        return partitionsByTopic.keySet();
    }

    /** All partitions of a topic, ordered by partition number; empty for an unknown topic. */
    public List<PartitionInfo> partitionsForTopic(String topic) {
        return partitionsByTopic.getOrDefault(Objects.requireNonNull(topic, "topic"), List.of());
    }

    /** The partitions of a topic that have a leader now, ordered by partition number. */
    public List<PartitionInfo> availablePartitionsForTopic(String topic) {
        return availableByTopic.getOrDefault(Objects.requireNonNull(topic, "topic"), List.of());
    }

    /** The number of partitions of a topic, or empty when the topic is unknown. */
    public Optional<Integer> partitionCountForTopic(String topic) {
        List<PartitionInfo> list = partitionsByTopic.get(Objects.requireNonNull(topic, "topic"));
        return list == null ? Optional.empty() : Optional.of(list.size());
    }

    public Optional<PartitionInfo> partition(TopicPartition tp) {
        List<PartitionInfo> list = partitionsForTopic(tp.topic());
        return tp.partition() < list.size() && list.get(tp.partition()).partition() == tp.partition()
                ? Optional.of(list.get(tp.partition()))
                : list.stream().filter(p -> p.partition() == tp.partition()).findFirst();
    }

    @Override
    public String toString() {
        return "Cluster(id=" + clusterId + ", nodes=" + nodes + ", topics=" + topics() + ")";
    }
}
