package io.fjord.clienttests;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.consumer.CommitFailedException;
import io.fjord.client.consumer.FjordConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Fjord's consumer must do as a member of a classic consumer group against any
 * Kafka-compatible broker: split partitions, rebalance eagerly and cooperatively as members come
 * and go (or die), keep static members' partitions across a restart, commit in each way so the
 * offsets survive a broker restart, and share a group with Kafka's own consumer on the assignment
 * Kafka would make.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GroupContract {

    static final long WAIT_MS = 60_000;

    protected BrokerUnderTest broker;

    protected abstract BrokerUnderTest startBroker() throws Exception;

    @BeforeAll
    void start() throws Exception {
        broker = startBroker();
    }

    @AfterAll
    void stop() throws Exception {
        broker.close();
    }

    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = BrokerFixture.admin(broker.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes {@code perPartition} records to each partition with Kafka's producer. */
    void produce(String topic, int partitions, int perPartition) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = BrokerFixture.producer(broker.bootstrap(), Map.of())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    Map<String, Object> config(String group, String strategy) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrap());
        config.put("group.id", group);
        config.put("key.deserializer", "string");
        config.put("value.deserializer", "string");
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", "false");
        config.put("session.timeout.ms", "6000");
        config.put("heartbeat.interval.ms", "500");
        config.put("partition.assignment.strategy", strategy);
        return config;
    }

    GroupMember.Fjord fjordMember(String name, Map<String, AtomicInteger> reads, Map<String, Object> config, String topic) {
        GroupMember.Fjord member = new GroupMember.Fjord(name, reads, config);
        member.subscribe(topic);
        member.startPolling();
        return member;
    }

    static void awaitAssignments(List<? extends GroupMember> members, int... sizes) throws InterruptedException {
        waitUntil(() -> "assignments of sizes " + java.util.Arrays.toString(sizes) + ", have "
                        + members.stream().map(m -> m.assignment.size() + (m.failure == null ? "" : " " + m.failure)).toList(),
                WAIT_MS, () -> {
                    for (int i = 0; i < sizes.length; i++) {
                        if (members.get(i).assignment.size() != sizes[i]) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    static void awaitEachReadOnce(Map<String, AtomicInteger> reads, int expected) throws InterruptedException {
        waitUntil(() -> expected + " distinct records read, have " + reads.size(), WAIT_MS, () -> reads.size() >= expected);
        for (Map.Entry<String, AtomicInteger> e : reads.entrySet()) {
            assertEquals(1, e.getValue().get(), "record " + e.getKey() + " was read more than once");
        }
        assertEquals(expected, reads.size());
    }

    @Test
    void threeConsumersSplitSixPartitionsAndReadEachRecordOnce() throws Exception {
        String topic = "split";
        createTopic(topic, 6);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        List<GroupMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(fjordMember("split-" + i, reads, config("split-group", "range"), topic));
            }
            awaitAssignments(members, 2, 2, 2);
            produce(topic, 6, 100);
            awaitEachReadOnce(reads, 600);
            Set<String> all = new TreeSet<>();
            members.forEach(m -> all.addAll(m.assignment));
            assertEquals(6, all.size(), "every partition has exactly one owner");
        } finally {
            for (GroupMember m : members) {
                m.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "cooperative-sticky"})
    void aMemberLeavesAndAnotherJoins(String strategy) throws Exception {
        String topic = "churn-" + strategy;
        String group = "churn-group-" + strategy;
        createTopic(topic, 6);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        GroupMember.Fjord a = fjordMember("a", reads, config(group, strategy), topic);
        GroupMember.Fjord b = fjordMember("b", reads, config(group, strategy), topic);
        GroupMember.Fjord c = null;
        try {
            awaitAssignments(List.of(a, b), 3, 3);
            produce(topic, 6, 50);
            awaitEachReadOnce(reads, 300);
            Set<String> bBefore = Set.copyOf(b.assignment);
            int bEvents = b.events.size();
            a.close();
            awaitAssignments(List.of(b), 6);
            c = fjordMember("c", reads, config(group, strategy), topic);
            awaitAssignments(List.of(b, c), 3, 3);
            produce(topic, 6, 50);
            awaitEachReadOnce(reads, 600);
            List<String> bLater = b.events.subList(bEvents, b.events.size());
            if (strategy.equals("range")) {
                assertTrue(bLater.contains("revoked " + new TreeSet<>(bBefore)), "eager: everything revoked first, " + bLater);
            } else {
                for (String event : bLater) {
                    if (event.startsWith("revoked")) {
                        Set<String> revoked = new TreeSet<>(List.of(event.substring("revoked [".length(),
                                event.length() - 1).split(", ")));
                        assertTrue(revoked.size() < 6, "cooperative: never everything revoked at once, " + bLater);
                        revoked.retainAll(b.assignment);
                        assertTrue(revoked.isEmpty(), "cooperative: only partitions that moved are revoked, " + bLater);
                    }
                }
            }
        } finally {
            a.close();
            b.close();
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aKilledMembersPartitionsMoveAfterItsSession() throws Exception {
        String topic = "killed";
        createTopic(topic, 6);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        GroupMember.Fjord survivor = fjordMember("survivor", reads, config("killed-group", "range"), topic);
        Process member = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GroupMemberProcess.class.getName(),
                broker.bootstrap(), "killed-group", topic, "6000").redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(member.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            waitUntil(() -> "the survivor to own 3 partitions, the other process says " + lines, WAIT_MS,
                    () -> survivor.assignment.size() == 3);
            waitUntil(() -> "the other process to own 3 partitions: " + lines, WAIT_MS,
                    () -> !lines.isEmpty() && lines.get(lines.size() - 1).split(",").length == 3);
            member.destroyForcibly();
            member.waitFor(30, TimeUnit.SECONDS);
            long killedAt = System.nanoTime();
            awaitAssignments(List.of(survivor), 6);
            long movedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertTrue(movedAfterMs >= 1_000, "the partitions moved after the session, not at once: " + movedAfterMs + " ms");
            produce(topic, 6, 10);
            awaitEachReadOnce(reads, 60);
        } finally {
            member.destroyForcibly();
            survivor.close();
        }
    }

    @Test
    void commitsOfEachKindSurviveARestart() throws Exception {
        String topic = "commits";
        createTopic(topic, 3);
        produce(topic, 3, 10);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        TopicPartition p2 = new TopicPartition(topic, 2);
        // Synchronous, asynchronous and automatic commits, each by a group member of its own group.
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config("commit-sync", "range"))) {
            consumer.subscribe(List.of(topic));
            ConsumerContract.pollUntil(consumer, 30, WAIT_MS);
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(3, Optional.empty(), "sync")));
        }
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config("commit-async", "range"))) {
            consumer.subscribe(List.of(topic));
            ConsumerContract.pollUntil(consumer, 30, WAIT_MS);
            List<Exception> outcomes = new CopyOnWriteArrayList<>();
            consumer.commitAsync(Map.of(p1, new OffsetAndMetadata(5)), (offsets, e) -> outcomes.add(e == null ? new Exception("ok") : e));
            waitUntil("the async commit's callback", WAIT_MS, () -> {
                consumer.poll(Duration.ofMillis(50));
                return !outcomes.isEmpty();
            });
            assertEquals("ok", outcomes.get(0).getMessage());
        }
        Map<String, Object> auto = config("commit-auto", "range");
        auto.put("enable.auto.commit", "true");
        auto.put("auto.commit.interval.ms", "100");
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(auto)) {
            consumer.subscribe(List.of(topic));
            ConsumerContract.pollUntil(consumer, 30, WAIT_MS);
            waitUntil("an automatic commit of every position", WAIT_MS, () -> {
                consumer.poll(Duration.ofMillis(50));
                Map<TopicPartition, OffsetAndMetadata> c = consumer.committed(Set.of(p0, p1, p2));
                return c.values().stream().allMatch(o -> o != null && o.offset() == 10);
            });
        }
        broker.restart();
        Map<String, Object> reader = config("commit-sync", "range");
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(reader)) {
            OffsetAndMetadata sync = consumer.committed(Set.of(p0), Duration.ofSeconds(60)).get(p0);
            assertEquals(3L, sync.offset());
            assertEquals("sync", sync.metadata());
        }
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config("commit-async", "range"))) {
            assertEquals(5L, consumer.committed(Set.of(p1), Duration.ofSeconds(60)).get(p1).offset());
        }
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config("commit-auto", "range"))) {
            Map<TopicPartition, OffsetAndMetadata> c = consumer.committed(Set.of(p0, p1, p2), Duration.ofSeconds(60));
            assertEquals(List.of(10L, 10L, 10L), List.of(c.get(p0).offset(), c.get(p1).offset(), c.get(p2).offset()));
            // A member of the group resumes from the committed offsets: nothing left to read.
            consumer.subscribe(List.of(topic));
            assertTrue(ConsumerContract.pollUntil(consumer, 1, 3_000).isEmpty());
        }
    }

    @Test
    void commitAsyncCallbacksRunInCommitOrder() throws Exception {
        String topic = "async-order";
        createTopic(topic, 1);
        produce(topic, 1, 60);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config("async-order", "range"))) {
            consumer.subscribe(List.of(topic));
            ConsumerContract.pollUntil(consumer, 60, WAIT_MS);
            List<Integer> order = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                consumer.commitAsync(Map.of(tp, new OffsetAndMetadata(i + 1)), (offsets, e) -> order.add(e == null ? n : -1 - n));
            }
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(51)));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                expected.add(i);
            }
            assertEquals(expected, order, "every callback ran, in order, before commitSync returned");
            assertEquals(51L, consumer.committed(Set.of(tp)).get(tp).offset());
        }
    }

    @Test
    void aMemberPastMaxPollIntervalLeavesAndItsCommitFails() throws Exception {
        String topic = "slow";
        createTopic(topic, 4);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        Map<String, Object> slowConfig = config("slow-group", "range");
        slowConfig.put("max.poll.interval.ms", "2000");
        List<String> lost = new CopyOnWriteArrayList<>();
        try (FjordConsumer<String, String> slow = new FjordConsumer<>(slowConfig)) {
            slow.subscribe(List.of(topic), new io.fjord.client.consumer.ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(java.util.Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(java.util.Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsLost(java.util.Collection<TopicPartition> partitions) {
                    lost.addAll(partitions.stream().map(TopicPartition::toString).toList());
                }
            });
            waitUntil("the slow member's assignment", WAIT_MS, () -> {
                slow.poll(Duration.ofMillis(100));
                return slow.assignment().size() == 4;
            });
            GroupMember.Fjord other = fjordMember("other", reads, config("slow-group", "range"), topic);
            try {
                // The slow member stops polling: after max.poll.interval.ms it leaves and the other takes all.
                awaitAssignments(List.of(other), 4);
                assertThrows(CommitFailedException.class, () -> slow.commitSync(Map.of(new TopicPartition(topic, 0),
                        new OffsetAndMetadata(0))));
                waitUntil("the slow member to rejoin, its old partitions reported lost", WAIT_MS, () -> {
                    slow.poll(Duration.ofMillis(100));
                    return !lost.isEmpty() && slow.assignment().size() == 2;
                });
                assertEquals(4, lost.size());
            } finally {
                other.close();
            }
        }
    }

    @Test
    void aStaticMemberKeepsItsPartitionsAcrossARestart() throws Exception {
        String topic = "static";
        createTopic(topic, 4);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        Map<String, Object> first = config("static-group", "range");
        first.put("group.instance.id", "static-1");
        first.put("session.timeout.ms", "30000");
        Map<String, Object> second = config("static-group", "range");
        second.put("group.instance.id", "static-2");
        second.put("session.timeout.ms", "30000");
        GroupMember.Fjord a = fjordMember("static-1", reads, first, topic);
        GroupMember.Fjord b = fjordMember("static-2", reads, second, topic);
        try {
            awaitAssignments(List.of(a, b), 2, 2);
            Set<String> aBefore = Set.copyOf(a.assignment);
            int bEvents = b.events.size();
            a.close();
            GroupMember.Fjord again = fjordMember("static-1-again", reads, first, topic);
            a = again;
            awaitAssignments(List.of(again), 2);
            assertEquals(aBefore, again.assignment, "the restarted static member gets its partitions back");
            assertEquals(bEvents, b.events.size(), "the other member saw no rebalance: " + b.events);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aMixedGroupWithKafkasConsumerGetsKafkasAssignment() throws Exception {
        String topic = "mixed";
        createTopic(topic, 6);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        String[] ids = {"a-fjord", "b-kafka", "c-fjord", "d-kafka"};
        List<GroupMember> members = new ArrayList<>();
        try {
            for (String id : ids) {
                Map<String, Object> config = config("mixed-group", "org.apache.kafka.clients.consumer.RangeAssignor");
                config.put("group.instance.id", id);
                GroupMember member = id.endsWith("fjord") ? new GroupMember.Fjord(id, reads, config)
                        : new GroupMember.Kafka(id, reads, config);
                member.subscribe(topic);
                members.add(member.startPolling());
            }
            // What Kafka's own range assignor gives these static members.
            Map<String, ConsumerPartitionAssignor.Subscription> subscriptions = new HashMap<>();
            for (String id : ids) {
                subscriptions.put(id, new ConsumerPartitionAssignor.Subscription(List.of(topic), null, List.of(),
                        -1, Optional.empty()));
                subscriptions.get(id).setGroupInstanceId(Optional.of(id));
            }
            Map<String, List<org.apache.kafka.common.TopicPartition>> expected =
                    new RangeAssignor().assignPartitions(Map.of(topic, partitionInfos(topic, 6)), subscriptions);
            waitUntil(() -> "Kafka's assignment " + expected + ", have "
                    + members.stream().map(m -> m.assignment + (m.failure == null ? "" : " " + m.failure)).toList(),
                    WAIT_MS, () -> {
                        for (int i = 0; i < ids.length; i++) {
                            Set<String> want = new TreeSet<>();
                            expected.get(ids[i]).forEach(tp -> want.add(tp.toString()));
                            if (!want.equals(new TreeSet<>(members.get(i).assignment))) {
                                return false;
                            }
                        }
                        return true;
                    });
            produce(topic, 6, 50);
            awaitEachReadOnce(reads, 300);
        } finally {
            for (GroupMember m : members) {
                m.close();
            }
        }
    }

    private static List<org.apache.kafka.common.PartitionInfo> partitionInfos(String topic, int count) {
        List<org.apache.kafka.common.PartitionInfo> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            out.add(new org.apache.kafka.common.PartitionInfo(topic, p, null, null, null));
        }
        return out;
    }
}
