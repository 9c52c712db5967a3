package io.fjord.client.consumer.internals;

import io.fjord.api.Cluster;
import io.fjord.api.Node;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.client.network.LeastLoadedNode;
import io.fjord.client.network.NetworkClient;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What the consumer knows of the cluster: the leader and leader epoch of each partition of the
 * topics it reads, every topic's name when it subscribes to a pattern, topic ids, and the brokers
 * (registered in the network client under their node ids). Refreshed by Metadata requests sent
 * from the application's thread and applied on the I/O thread.
 *
 * <p>Invariant: {@link #snapshot} is replaced whole, never changed, so readers need no lock.
 */
public final class ConsumerMetadata {

    /** A partition's leader (-1 if none) and its epoch (-1 if unknown). */
    public record Leader(int nodeId, int epoch) {
        static final Leader NONE = new Leader(-1, -1);
    }

    /** An immutable view of the cluster. */
    public record Snapshot(Map<String, Leader[]> topics, Map<String, UUID> topicIds, Map<String, Boolean> internal,
                           Map<String, Errors> topicErrors, Map<Integer, Node> nodes, String clusterId) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), null);

        public Leader leader(TopicPartition partition) {
            Leader[] leaders = topics.get(partition.topic());
            return leaders == null || partition.partition() >= leaders.length ? Leader.NONE : leaders[partition.partition()];
        }

        public int partitionCount(String topic) {
            Leader[] leaders = topics.get(topic);
            return leaders == null ? -1 : leaders.length;
        }
    }

    private final NetworkClient client;
    private final LeastLoadedNode nodeChooser;
    private final long maxAgeMs;
    private final boolean allowAutoCreate;
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile Set<String> wanted = Set.of();
    private volatile boolean allTopics;
    private volatile boolean updateRequested = true;
    private volatile boolean inFlight;
    private volatile long lastRefreshMs;
    /** Bumped by every applied response, so a caller can wait for a refresh newer than one it saw. */
    private volatile int version;

    public ConsumerMetadata(NetworkClient client, int[] bootstrapNodes, long maxAgeMs, boolean allowAutoCreate) {
        this.client = client;
        this.nodeChooser = new LeastLoadedNode(client, bootstrapNodes);
        this.maxAgeMs = maxAgeMs;
        this.allowAutoCreate = allowAutoCreate;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public int version() {
        return version;
    }

    /** The topics to keep fresh; with {@code all}, every topic of the cluster (pattern subscriptions). */
    public void setTopics(Set<String> topics, boolean all) {
        boolean changed = !topics.equals(wanted) || all != allTopics;
        this.wanted = Set.copyOf(topics);
        this.allTopics = all;
        if (changed) {
            updateRequested = true;
        }
    }

    public Set<String> wantedTopics() {
        return wanted;
    }

    public void requestUpdate() {
        updateRequested = true;
    }

    public boolean updateRequested() {
        return updateRequested;
    }

    /** Sends a Metadata request if one is due and none is in flight. */
    public void maybeUpdate(ConsumerNetwork network, long nowMs) {
        if (inFlight || !(updateRequested || nowMs - lastRefreshMs >= maxAgeMs)) {
            return;
        }
        if (wanted.isEmpty() && !allTopics && !updateRequested) {
            return;
        }
        inFlight = true;
        MetadataRequest request = new MetadataRequest().setAllowAutoTopicCreation(allowAutoCreate);
        if (allTopics) {
            request.setTopics(null);
        } else {
            for (String topic : new TreeSet<>(wanted)) {
                request.topics().add(new MetadataRequest.MetadataRequestTopic().setName(topic));
            }
        }
        int node = anyNode();
        network.send(node, request, MetadataResponse.class).whenComplete((response, error) -> {
            try {
                if (error == null) {
                    nodeChooser.succeeded();
                    update(response, System.currentTimeMillis());
                } else {
                    nodeChooser.failed();
                    updateRequested = true;
                }
            } finally {
                inFlight = false;
                network.signal();
            }
        });
    }

    /** A broker to ask anything any broker answers: see {@link LeastLoadedNode}. */
    public int anyNode() {
        return nodeChooser.choose(snapshot.nodes().keySet());
    }

    synchronized void update(MetadataResponse response, long nowMs) {
        Map<Integer, Node> nodes = new HashMap<>();
        for (MetadataResponse.MetadataResponseBroker broker : response.brokers()) {
            nodes.put(broker.nodeId(), new Node(broker.nodeId(), broker.host(), broker.port(),
                    Optional.ofNullable(broker.rack())));
            Node old = snapshot.nodes().get(broker.nodeId());
            if (old == null || !old.host().equals(broker.host()) || old.port() != broker.port()) {
                client.setNode(broker.nodeId(), broker.host(), broker.port());
            }
        }
        Map<String, Leader[]> topics = allTopics ? new HashMap<>() : new HashMap<>(snapshot.topics());
        Map<String, UUID> ids = allTopics ? new HashMap<>() : new HashMap<>(snapshot.topicIds());
        Map<String, Boolean> internal = allTopics ? new HashMap<>() : new HashMap<>(snapshot.internal());
        if (!allTopics) {
            topics.keySet().retainAll(wanted);
        }
        Map<String, Errors> errors = new HashMap<>();
        boolean incomplete = false;
        for (MetadataResponse.MetadataResponseTopic topic : response.topics()) {
            Errors error = Errors.forCode(topic.errorCode());
            if (error != Errors.NONE) {
                errors.put(topic.name(), error);
                topics.remove(topic.name());
                incomplete |= error.retriable();
                continue;
            }
            int count = 0;
            for (MetadataResponse.MetadataResponsePartition p : topic.partitions()) {
                count = Math.max(count, p.partitionIndex() + 1);
            }
            Leader[] leaders = new Leader[count];
            java.util.Arrays.fill(leaders, Leader.NONE);
            for (MetadataResponse.MetadataResponsePartition p : topic.partitions()) {
                boolean known = p.leaderId() >= 0 && nodes.containsKey(p.leaderId());
                leaders[p.partitionIndex()] = known ? new Leader(p.leaderId(), p.leaderEpoch()) : Leader.NONE;
                incomplete |= !known;
            }
            topics.put(topic.name(), leaders);
            if (topic.topicId() != null) {
                ids.put(topic.name(), topic.topicId());
            }
            internal.put(topic.name(), topic.isInternal());
        }
        snapshot = new Snapshot(Map.copyOf(topics), Map.copyOf(ids), Map.copyOf(internal), Map.copyOf(errors),
                Map.copyOf(nodes), response.clusterId());
        lastRefreshMs = nowMs;
        updateRequested = incomplete;
        version++;
    }

    /** The cluster as the API's value type, for assignors. */
    public Cluster cluster() {
        Snapshot s = snapshot;
        List<PartitionInfo> partitions = new ArrayList<>();
        for (Map.Entry<String, Leader[]> e : s.topics().entrySet()) {
            Leader[] leaders = e.getValue();
            for (int i = 0; i < leaders.length; i++) {
                Optional<Node> leader = Optional.ofNullable(s.nodes().get(leaders[i].nodeId()));
                partitions.add(new PartitionInfo(e.getKey(), i, leader, leader.stream().toList(), leader.stream().toList()));
            }
        }
        return new Cluster(s.clusterId(), s.nodes().values(), partitions);
    }
}
