package io.fjord.perf;

import io.fjord.api.Cluster;
import io.fjord.api.Node;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.assignors.protocol.StickyAssignorUserData;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One group assignment on the leader: 1,000 members, 100 topics of 100 partitions, everyone
 * subscribed to everything, for each assignor, Fjord's and Kafka's side by side.
 * {@code fresh} is the first rebalance (nobody owns anything); {@code memberLeft} is the
 * rebalance after one member of a settled group left, where the sticky assignors read every
 * member's history (user data for {@code sticky}, owned partitions for
 * {@code cooperative-sticky}) and move only the leaver's partitions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AssignorBenchmark {

    private static final int MEMBERS = 1_000;
    private static final int TOPICS = 100;
    private static final int PARTITIONS_PER_TOPIC = 100;

    @Param({"range", "roundrobin", "sticky", "cooperative-sticky"})
    public String assignor;

    @Param({"fjord", "kafka"})
    public String implementation;

    @Param({"fresh", "memberLeft"})
    public String rebalance;

    private Cluster cluster;
    private PartitionAssignor.GroupSubscription group;
    private PartitionAssignor fjord;
    private org.apache.kafka.common.Cluster kafkaCluster;
    private ConsumerPartitionAssignor.GroupSubscription kafkaGroup;
    private ConsumerPartitionAssignor kafka;

    @Setup
    public void setUp() {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        for (int t = 0; t < TOPICS; t++) {
            String topic = "topic-" + t;
            topics.add(topic);
            for (int p = 0; p < PARTITIONS_PER_TOPIC; p++) {
                partitions.add(new PartitionInfo(topic, p, Optional.of(node), List.of(node), List.of(node)));
            }
        }
        cluster = new Cluster("bench", List.of(node), partitions);
        kafkaCluster = toKafka(cluster);
        fjord = ServiceLoader.load(PartitionAssignor.class).stream().map(ServiceLoader.Provider::get)
                .filter(a -> a.name().equals(assignor)).findFirst().orElseThrow();
        kafka = switch (assignor) {
            case "range" -> new org.apache.kafka.clients.consumer.RangeAssignor();
            case "roundrobin" -> new org.apache.kafka.clients.consumer.RoundRobinAssignor();
            case "sticky" -> new org.apache.kafka.clients.consumer.StickyAssignor();
            default -> new org.apache.kafka.clients.consumer.CooperativeStickyAssignor();
        };

        Map<String, PartitionAssignor.Subscription> subscriptions = new HashMap<>();
        for (int m = 0; m < MEMBERS; m++) {
            subscriptions.put(String.format("consumer-%04d", m), new PartitionAssignor.Subscription(topics));
        }
        if (rebalance.equals("memberLeft")) {
            // The settled assignment the group had, from the same implementation.
            Map<String, List<TopicPartition>> settled = new HashMap<>();
            if (implementation.equals("fjord")) {
                fjord.assign(cluster, new PartitionAssignor.GroupSubscription(subscriptions)).groupAssignment()
                        .forEach((m, a) -> settled.put(m, a.partitions()));
            } else {
                kafka.assign(kafkaCluster, toKafka(new PartitionAssignor.GroupSubscription(subscriptions)))
                        .groupAssignment().forEach((m, a) -> settled.put(m, a.partitions().stream()
                                .map(tp -> new TopicPartition(tp.topic(), tp.partition())).toList()));
            }
            subscriptions.remove("consumer-0500");
            subscriptions.replaceAll((m, s) -> withHistory(topics, settled.get(m)));
        }
        group = new PartitionAssignor.GroupSubscription(subscriptions);
        kafkaGroup = toKafka(group);
    }

    /** A member's subscription after generation 1, the way each assignor carries its history. */
    private PartitionAssignor.Subscription withHistory(List<String> topics, List<TopicPartition> owned) {
        return switch (assignor) {
            case "sticky" -> new PartitionAssignor.Subscription(topics, StickyAssignorUserData.encode(
                    new StickyAssignorUserData.MemberData(owned, Optional.of(1))), List.of(), Optional.empty(),
                    Optional.empty());
            case "cooperative-sticky" -> new PartitionAssignor.Subscription(topics, null, owned, Optional.of(1),
                    Optional.empty());
            default -> new PartitionAssignor.Subscription(topics);
        };
    }

    private static org.apache.kafka.common.Cluster toKafka(Cluster c) {
        org.apache.kafka.common.Node node = new org.apache.kafka.common.Node(0, "localhost", 9092);
        org.apache.kafka.common.Node[] replicas = {node};
        List<org.apache.kafka.common.PartitionInfo> partitions = new ArrayList<>();
        for (String topic : c.topics()) {
            for (PartitionInfo p : c.partitionsForTopic(topic)) {
                partitions.add(new org.apache.kafka.common.PartitionInfo(topic, p.partition(), node, replicas, replicas));
            }
        }
        return new org.apache.kafka.common.Cluster("bench", List.of(node), partitions, Set.of(), Set.of());
    }

    private static ConsumerPartitionAssignor.GroupSubscription toKafka(PartitionAssignor.GroupSubscription g) {
        Map<String, ConsumerPartitionAssignor.Subscription> subs = new HashMap<>();
        g.groupSubscription().forEach((m, s) -> subs.put(m, new ConsumerPartitionAssignor.Subscription(s.topics(),
                s.userData(), s.ownedPartitions().stream()
                        .map(tp -> new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition())).toList(),
                s.generationId().orElse(-1), s.rackId())));
        return new ConsumerPartitionAssignor.GroupSubscription(subs);
    }

    @Benchmark
    public Object assign() {
        if (implementation.equals("fjord")) {
            // Fjord's decoders never move the user data buffers' positions: the same group serves every call.
            return fjord.assign(cluster, group);
        }
        // Kafka's sticky reader consumes the user data buffers' positions: give it fresh views.
        if (assignor.equals("sticky")) {
            Map<String, ConsumerPartitionAssignor.Subscription> subs = new HashMap<>();
            kafkaGroup.groupSubscription().forEach((m, s) -> subs.put(m, new ConsumerPartitionAssignor.Subscription(
                    s.topics(), s.userData() == null ? null : s.userData().duplicate(), s.ownedPartitions())));
            return kafka.assign(kafkaCluster, new ConsumerPartitionAssignor.GroupSubscription(subs));
        }
        return kafka.assign(kafkaCluster, kafkaGroup);
    }
}
