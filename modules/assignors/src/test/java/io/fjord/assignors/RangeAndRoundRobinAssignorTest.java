package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.Node;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.consumer.PartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code range} and {@code roundrobin} against Kafka's on the same members, subscriptions and partitions. */
class RangeAndRoundRobinAssignorTest {

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private static Cluster topics(int... partitionCounts) {
        return Scenarios.cluster(new Random(1), partitionCounts, false);
    }

    private static Subscription subscribe(String... topics) {
        return new Subscription(List.of(topics));
    }

    private static void assertSameAsKafka(PartitionAssignor fjord, ConsumerPartitionAssignor kafka, Cluster cluster,
                                          Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> expected = Kafka.assign(kafka, cluster, subscriptions);
        assertEquals(expected, Kafka.assign(fjord, cluster, subscriptions),
                "subscriptions " + subscriptions + " over " + cluster.topics());
    }

    @Test
    void rangeCutsEachTopicIntoRangesInMemberOrder() {
        Map<String, Subscription> subs = Map.of("c1", subscribe("t0", "t1"), "c0", subscribe("t0", "t1"));
        Map<String, List<TopicPartition>> result = Kafka.assign(new RangeAssignor(), topics(3, 3), subs);
        assertEquals(List.of(tp("t0", 0), tp("t0", 1), tp("t1", 0), tp("t1", 1)), result.get("c0"));
        assertEquals(List.of(tp("t0", 2), tp("t1", 2)), result.get("c1"));
        assertSameAsKafka(new RangeAssignor(), new org.apache.kafka.clients.consumer.RangeAssignor(), topics(3, 3), subs);
    }

    @Test
    void roundRobinDealsPartitionsSkippingMembersNotSubscribed() {
        Map<String, Subscription> subs = Map.of("c0", subscribe("t0"), "c1", subscribe("t0", "t1"), "c2",
                subscribe("t0", "t1", "t2"));
        Map<String, List<TopicPartition>> result = Kafka.assign(new RoundRobinAssignor(), topics(1, 2, 3), subs);
        assertEquals(List.of(tp("t0", 0)), result.get("c0"));
        assertEquals(List.of(tp("t1", 0)), result.get("c1"));
        assertEquals(List.of(tp("t1", 1), tp("t2", 0), tp("t2", 1), tp("t2", 2)), result.get("c2"));
        assertSameAsKafka(new RoundRobinAssignor(), new org.apache.kafka.clients.consumer.RoundRobinAssignor(),
                topics(1, 2, 3), subs);
    }

    @Test
    void staticMembersComeFirstInInstanceIdOrder() {
        Map<String, Subscription> subs = new LinkedHashMap<>();
        subs.put("a", subscribe("t0").withGroupInstanceId(Optional.of("z")));
        subs.put("b", subscribe("t0").withGroupInstanceId(Optional.of("y")));
        subs.put("c", subscribe("t0"));
        Map<String, List<TopicPartition>> range = Kafka.assign(new RangeAssignor(), topics(4), subs);
        assertEquals(List.of(tp("t0", 0), tp("t0", 1)), range.get("b"));
        assertEquals(List.of(tp("t0", 2)), range.get("a"));
        assertEquals(List.of(tp("t0", 3)), range.get("c"));
        assertSameAsKafka(new RangeAssignor(), new org.apache.kafka.clients.consumer.RangeAssignor(), topics(4), subs);
        assertSameAsKafka(new RoundRobinAssignor(), new org.apache.kafka.clients.consumer.RoundRobinAssignor(),
                topics(4), subs);
    }

    @Test
    void membersWithoutTopicsAndTopicsWithoutMetadataGetNothing() {
        Map<String, Subscription> subs = Map.of("c0", subscribe(), "c1", subscribe("missing"), "c2", subscribe("t0"));
        for (PartitionAssignor a : List.of(new RangeAssignor(), new RoundRobinAssignor())) {
            Map<String, List<TopicPartition>> result = Kafka.assign(a, topics(2), subs);
            assertEquals(List.of(), result.get("c0"));
            assertEquals(List.of(), result.get("c1"));
            assertEquals(List.of(tp("t0", 0), tp("t0", 1)), result.get("c2"));
        }
        assertSameAsKafka(new RangeAssignor(), new org.apache.kafka.clients.consumer.RangeAssignor(), topics(2), subs);
    }

    /** Partition i of t0 and t1 live on rack "r" + i % 2 only: members take their rack's, co-partitioned. */
    @Test
    void rangeMatchesRacksAndKeepsCoPartitioning() {
        List<Node> nodes = List.of(new Node(0, "b0", 9092, Optional.of("r0")), new Node(1, "b1", 9092, Optional.of("r1")));
        List<PartitionInfo> partitions = new ArrayList<>();
        for (String topic : List.of("t0", "t1")) {
            for (int p = 0; p < 4; p++) {
                Node n = nodes.get(p % 2);
                partitions.add(new PartitionInfo(topic, p, Optional.of(n), List.of(n), List.of(n)));
            }
        }
        Cluster cluster = new Cluster("c", nodes, partitions);
        Map<String, Subscription> subs = Map.of(
                "a", new Subscription(List.of("t0", "t1"), null, List.of(), Optional.empty(), Optional.of("r1")),
                "b", new Subscription(List.of("t0", "t1"), null, List.of(), Optional.empty(), Optional.of("r0")));
        Map<String, List<TopicPartition>> result = Kafka.assign(new RangeAssignor(), cluster, subs);
        assertEquals(List.of(tp("t0", 1), tp("t0", 3), tp("t1", 1), tp("t1", 3)), result.get("a"));
        assertEquals(List.of(tp("t0", 0), tp("t0", 2), tp("t1", 0), tp("t1", 2)), result.get("b"));
        assertSameAsKafka(new RangeAssignor(), new org.apache.kafka.clients.consumer.RangeAssignor(), cluster, subs);
    }

    @Test
    void rangeMatchesKafkaOnSeededRandomGroups() {
        Random random = new Random(20261122L);
        int rackSensitive = 0;
        for (int i = 0; i < 2000; i++) {
            Scenarios.Scenario s = Scenarios.random(random, random.nextInt(4) == 0);
            assertSameAsKafka(new RangeAssignor(), new org.apache.kafka.clients.consumer.RangeAssignor(),
                    s.cluster(), s.subscriptions());
            Map<String, Subscription> withoutRacks = new LinkedHashMap<>();
            s.subscriptions().forEach((m, sub) -> withoutRacks.put(m, new Subscription(sub.topics(), null, List.of(),
                    Optional.empty(), Optional.empty(), sub.groupInstanceId())));
            if (!Kafka.assign(new RangeAssignor(), s.cluster(), s.subscriptions())
                    .equals(Kafka.assign(new RangeAssignor(), s.cluster(), withoutRacks))) {
                rackSensitive++;
            }
        }
        // The random groups must exercise the rack-matching paths, not only plain ranges.
        assertTrue(rackSensitive > 200, "too few cases where racks changed the assignment: " + rackSensitive);
    }

    @Test
    void roundRobinMatchesKafkaOnSeededRandomGroups() {
        Random random = new Random(7L);
        for (int i = 0; i < 2000; i++) {
            Scenarios.Scenario s = Scenarios.random(random, random.nextInt(4) == 0);
            assertSameAsKafka(new RoundRobinAssignor(), new org.apache.kafka.clients.consumer.RoundRobinAssignor(),
                    s.cluster(), s.subscriptions());
        }
    }
}
