package io.fjord.client.producer.internals;

import io.fjord.api.Cluster;
import io.fjord.api.Node;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.client.errors.ClientException;
import io.fjord.client.errors.TimeoutException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.MetadataResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the producer knows of the cluster: per topic its partitions and their leaders, the brokers,
 * and which topics it needs. The sender refreshes it from Metadata responses; {@code send} reads an
 * immutable snapshot and waits here, at most {@code max.block.ms}, for a topic it has not seen.
 *
 * <p>Invariant: {@link #snapshot} is replaced whole, never changed, so readers need no lock.
 */
public final class ProducerMetadata {

    /** One topic's partitions: cached {@link TopicPartition}s and leaders, indexed by partition. */
    public static final class TopicInfo {
        final TopicPartition[] partitions;
        final int[] leaders;
        final int[] available;
        final int[] all;

        TopicInfo(String topic, int[] leaders) {
            this.leaders = leaders;
            this.partitions = new TopicPartition[leaders.length];
            int count = 0;
            for (int i = 0; i < leaders.length; i++) {
                partitions[i] = new TopicPartition(topic, i);
                if (leaders[i] >= 0) {
                    count++;
                }
            }
            int[] withLeader = new int[count];
            for (int i = 0, j = 0; i < leaders.length; i++) {
                if (leaders[i] >= 0) {
                    withLeader[j++] = i;
                }
            }
            this.available = withLeader;
            this.all = new int[leaders.length];
            for (int i = 0; i < leaders.length; i++) {
                all[i] = i;
            }
        }

        public int partitionCount() {
            return partitions.length;
        }

        /** The cached key of partition {@code index}. */
        public TopicPartition partition(int index) {
            return partitions[index];
        }
    }

    /** An immutable view of the cluster. */
    record Snapshot(Map<String, TopicInfo> topics, Map<String, Errors> topicErrors, Map<Integer, Node> nodes,
                    Map<Integer, List<TopicPartition>> partitionsByLeader, Cluster cluster) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of(), Map.of(), Cluster.empty());

        int leaderOf(TopicPartition partition) {
            TopicInfo info = topics.get(partition.topic());
            return info == null || partition.partition() >= info.leaders.length ? -1 : info.leaders[partition.partition()];
        }
    }

    private final long maxAgeMs;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile boolean updateRequested = true;
    private volatile long lastRefreshMs;
    private volatile ClientException fatal;

    public ProducerMetadata(long maxAgeMs) {
        this.maxAgeMs = maxAgeMs;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** The topics the producer sends to. */
    Set<String> wantedTopics() {
        return wanted;
    }

    void requestUpdate() {
        updateRequested = true;
    }

    boolean updateDue(long nowMs) {
        return updateRequested || nowMs - lastRefreshMs >= maxAgeMs;
    }

    long timeToNextUpdate(long nowMs) {
        return updateRequested ? 0 : Math.max(0, lastRefreshMs + maxAgeMs - nowMs);
    }

    /**
     * The topic's partitions, waiting up to {@code maxWaitMs} for them to be known.
     *
     * @throws TimeoutException if the topic is still unknown then (does not exist, auto-creation off,
     *     or no broker answered)
     */
    public TopicInfo awaitTopic(String topic, long maxWaitMs, Runnable wakeSender) throws InterruptedException {
        TopicInfo info = snapshot.topics().get(topic);
        if (info != null) {
            return info;
        }
        long deadline = System.nanoTime() + maxWaitMs * 1_000_000L;
        if (wanted.add(topic)) {
            requestUpdate();
        }
        synchronized (this) {
            while ((info = snapshot.topics().get(topic)) == null) {
                if (fatal != null) {
                    throw fatal;
                }
                long remainingMs = (deadline - System.nanoTime()) / 1_000_000L;
                if (remainingMs <= 0) {
                    Errors error = snapshot.topicErrors().get(topic);
                    throw new TimeoutException("Topic " + topic + " not present in metadata after " + maxWaitMs + " ms"
                            + (error == null ? "" : ": the broker answers " + error.name()));
                }
                requestUpdate();
                wakeSender.run();
                wait(Math.min(remainingMs, 100));
            }
        }
        return info;
    }

    /** Replaces the snapshot with what {@code response} says; keeps topics the response left out. */
    synchronized void update(MetadataResponse response, long nowMs) {
        Map<Integer, Node> nodes = new HashMap<>();
        for (MetadataResponse.MetadataResponseBroker broker : response.brokers()) {
            nodes.put(broker.nodeId(), new Node(broker.nodeId(), broker.host(), broker.port(),
                    Optional.ofNullable(broker.rack())));
        }
        Map<String, TopicInfo> topics = new HashMap<>(snapshot.topics());
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
            int[] leaders = new int[count];
            java.util.Arrays.fill(leaders, -1);
            for (MetadataResponse.MetadataResponsePartition p : topic.partitions()) {
                if (p.errorCode() == Errors.NONE.code() || p.leaderId() >= 0) {
                    leaders[p.partitionIndex()] = nodes.containsKey(p.leaderId()) ? p.leaderId() : -1;
                }
                incomplete |= leaders[p.partitionIndex()] < 0;
            }
            topics.put(topic.name(), new TopicInfo(topic.name(), leaders));
        }
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        for (TopicInfo info : topics.values()) {
            for (int i = 0; i < info.leaders.length; i++) {
                if (info.leaders[i] >= 0) {
                    byLeader.computeIfAbsent(info.leaders[i], n -> new ArrayList<>()).add(info.partitions[i]);
                }
            }
        }
        snapshot = new Snapshot(Map.copyOf(topics), Map.copyOf(errors), Map.copyOf(nodes), Map.copyOf(byLeader),
                cluster(response.clusterId(), topics, nodes));
        lastRefreshMs = nowMs;
        updateRequested = incomplete;
        notifyAll();
    }

    /** A failure no refresh can fix (the producer is closing): waiting senders get it. */
    synchronized void fail(ClientException error) {
        fatal = error;
        notifyAll();
    }

    /** The cluster as the API's value type, for partitioners and {@code partitionsFor}. */
    public Cluster cluster() {
        return snapshot.cluster();
    }

    private static Cluster cluster(String clusterId, Map<String, TopicInfo> topics, Map<Integer, Node> nodes) {
        List<PartitionInfo> partitions = new ArrayList<>();
        for (Map.Entry<String, TopicInfo> e : topics.entrySet()) {
            TopicInfo info = e.getValue();
            for (int i = 0; i < info.leaders.length; i++) {
                Optional<Node> leader = Optional.ofNullable(nodes.get(info.leaders[i]));
                partitions.add(new PartitionInfo(e.getKey(), i, leader, leader.stream().toList(), leader.stream().toList()));
            }
        }
        return new Cluster(clusterId, nodes.values(), partitions);
    }
}
