package io.fjord.clustertests;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.fjord.clustertests.FjordCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three brokers from the image on one ZooKeeper, driven by Kafka's own admin, producer and
 * consumer. Replication of the data is not part of this stage: a partition that changes leader
 * starts empty on its new leader, so these tests check leadership, metadata and availability,
 * not the survival of records across a failover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

    private static final Duration FAILOVER = Duration.ofSeconds(40);
    private static FjordCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = FjordCluster.start(3, Map.of("offsets.topic.num.partitions", "6"));
    }

    /** Brings back any broker a test killed or stopped, so a failure does not cascade. */
    @AfterEach
    void restoreBrokers() throws Exception {
        for (int id : cluster.ids()) {
            if (!cluster.node(id).alive()) {
                cluster.restart(id);
            }
        }
        try (Admin admin = cluster.admin()) {
            awaitBrokers(admin, 3);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Map<Integer, Integer> leaders(Admin admin, String topic) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Map<Integer, Integer> out = new HashMap<>();
        for (TopicPartitionInfo p : d.partitions()) {
            out.put(p.partition(), p.leader() == null ? -1 : p.leader().id());
        }
        return out;
    }

    private static KafkaProducer<String, String> producer(boolean idempotent) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
        p.put(ProducerConfig.ACKS_CONFIG, idempotent ? "all" : "1");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(p);
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
            p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        }
        return new KafkaConsumer<>(p);
    }

    private static void awaitBrokers(Admin admin, int count) throws InterruptedException {
        // Generous: on a loaded machine a restarted broker's JVM, registration and the controller's
        // full state to it can take most of a minute.
        await(count + " live brokers", Duration.ofSeconds(90), () -> {
            try {
                return admin.describeCluster().nodes().get().size() == count;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * The controller's id once the broker asked knows one: a broker that has just restarted answers
     * Metadata without a controller (-1, a null node) until the controller's first update reaches it.
     */
    private static int awaitController(Admin admin) throws InterruptedException {
        AtomicInteger id = new AtomicInteger(-1);
        await("a known controller", FAILOVER, () -> {
            try {
                Node c = admin.describeCluster().controller().get(5, TimeUnit.SECONDS);
                if (c != null) {
                    id.set(c.id());
                }
                return c != null;
            } catch (Exception e) {
                return false;
            }
        });
        return id.get();
    }

    @Test
    @Order(1)
    void kafkasClientsSeeEveryBrokerAndProduceAndFetchThroughTheRightLeaders() throws Exception {
        try (Admin admin = cluster.admin()) {
            awaitBrokers(admin, 3);
            List<Integer> ids = admin.describeCluster().nodes().get().stream().map(Node::id).sorted().toList();
            assertEquals(List.of(1, 2, 3), ids);
            int controller = awaitController(admin);
            assertTrue(ids.contains(controller), "controller " + controller);

            admin.createTopics(List.of(new NewTopic("single", Map.of(0, List.of(1), 1, List.of(2), 2, List.of(3)))))
                    .all().get();
            await("leaders of single", FAILOVER, () -> leaders(admin, "single").equals(Map.of(0, 1, 1, 2, 2, 3)));
            admin.createTopics(List.of(new NewTopic("triple", 3, (short) 3))).all().get();
            await("leaders of triple", FAILOVER, () -> !leaders(admin, "triple").containsValue(-1));
            TopicDescription triple = admin.describeTopics(List.of("triple")).allTopicNames().get().get("triple");
            for (TopicPartitionInfo p : triple.partitions()) {
                assertEquals(3, p.replicas().size());
                assertEquals(3, p.isr().size());
            }
        }
        try (KafkaProducer<String, String> producer = producer(true)) {
            for (int p = 0; p < 3; p++) {
                for (int i = 0; i < 20; i++) {
                    RecordMetadata m = producer.send(new ProducerRecord<>("single", p, "k" + i, "p" + p + "-" + i)).get();
                    assertEquals(i, m.offset());
                }
            }
        }
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            List<TopicPartition> parts = List.of(new TopicPartition("single", 0), new TopicPartition("single", 1),
                    new TopicPartition("single", 2));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<Integer, List<String>> got = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.values().stream().mapToInt(List::size).sum() < 60 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    got.computeIfAbsent(r.partition(), x -> new ArrayList<>()).add(r.value());
                }
            }
            for (int p = 0; p < 3; p++) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    expected.add("p" + p + "-" + i);
                }
                assertEquals(expected, got.get(p), "partition " + p);
            }
        }
    }

    @Test
    @Order(2)
    void kcatSeesAllThreeBrokers() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat is not installed");
        Process p = new ProcessBuilder("kcat", "-L", "-b", cluster.bootstrap(), "-t", "single").redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("3 brokers:"), out);
        for (int id : cluster.ids()) {
            assertTrue(out.contains("broker " + id + " at 127.0.0.1:" + cluster.node(id).port), out);
        }
        assertTrue(out.contains("partition 1, leader 2"), out);
    }

    @Test
    @Order(4)
    void killingABrokerMovesLeadershipWhereAReplicaLivesAndTakesTheRestOffline() throws Exception {
        try (Admin admin = cluster.admin(); KafkaProducer<String, String> producer = producer(false)) {
            // The test before may have left a partition between leaders: start from a settled one.
            await("leaders of triple", FAILOVER, () -> !leaders(admin, "triple").containsValue(-1));
            Map<Integer, Integer> before = leaders(admin, "triple");
            int victim = before.get(0);
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            AtomicReference<Long> firstProduce = new AtomicReference<>();
            await("a produce to partition 0 of triple", FAILOVER, () -> {
                try {
                    producer.send(new ProducerRecord<>("triple", 0, "k", "after")).get(5, TimeUnit.SECONDS);
                    firstProduce.set(System.nanoTime());
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            System.out.printf("leader kill -9 to first successful produce: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(firstProduce.get() - killedAt));
            Map<Integer, Integer> after = leaders(admin, "triple");
            assertTrue(after.values().stream().noneMatch(l -> l == victim || l == -1), after.toString());
            Map<Integer, Integer> single = leaders(admin, "single");
            int led = victim - 1;
            assertEquals(-1, single.get(led), "the partition whose only replica died is offline: " + single);
            TopicDescription d = admin.describeTopics(List.of("single")).allTopicNames().get().get("single");
            assertNull(d.partitions().get(led).leader());
            cluster.restart(victim);
            await("partition " + led + " of single led again", FAILOVER,
                    () -> leaders(admin, "single").get(led) == victim);
            awaitBrokers(admin, 3);
        }
    }

    @Test
    @Order(5)
    void killingTheControllerElectsAnotherThatCarriesOn() throws Exception {
        try (Admin admin = cluster.admin()) {
            int controller = awaitController(admin);
            long killedAt = System.nanoTime();
            cluster.kill(controller);
            AtomicInteger next = new AtomicInteger(-1);
            await("a new controller", FAILOVER, () -> {
                try (Admin fresh = cluster.admin()) {
                    Node c = fresh.describeCluster().controller().get(5, TimeUnit.SECONDS);
                    if (c != null && c.id() != controller) {
                        next.set(c.id());
                        return true;
                    }
                    return false;
                } catch (Exception e) {
                    return false;
                }
            });
            System.out.printf("controller kill -9 to a new controller: %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            assertNotEquals(controller, next.get());
            try (Admin fresh = cluster.admin()) {
                fresh.createTopics(List.of(new NewTopic("after-failover", 2, (short) 2))).all().get();
                await("leaders of after-failover", FAILOVER, () -> !leaders(fresh, "after-failover").containsValue(-1));
                assertTrue(leaders(fresh, "after-failover").values().stream().noneMatch(l -> l == controller));
            }
            cluster.restart(controller);
            awaitBrokers(admin, 3);
        }
    }

    @Test
    @Order(7)
    void aCleanBounceOfEveryBrokerInTurnGivesTheProducerNoError() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acked = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        // Without replication a partition's new leader has none of its producer state, so the
        // idempotent producer's sequences would not line up there; this stage sends without it.
        Thread sender = new Thread(() -> {
            try (KafkaProducer<String, String> producer = producer(false)) {
                int i = 0;
                while (running.get()) {
                    final int n = i++;
                    producer.send(new ProducerRecord<>("triple", n % 3, "k" + n, "v" + n), (m, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            acked.incrementAndGet();
                        }
                    });
                    Thread.sleep(2);
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();
        try (Admin admin = cluster.admin()) {
            for (int id : cluster.ids()) {
                cluster.stop(id);
                cluster.restart(id);
                awaitBrokers(admin, 3);
            }
        } finally {
            running.set(false);
            sender.join(60_000);
        }
        assertNull(failure.get(), () -> "a send failed: " + failure.get());
        assertTrue(acked.get() > 100, "acked " + acked.get());
    }

    /**
     * First of the tests that kill: a broker that comes back rejoins an ISR only once it has
     * caught up by replication, which is the next stage, so every kill before this one would
     * leave the offsets partitions with fewer brokers to fail over to.
     */
    @Test
    @Order(3)
    void aConsumerGroupKeepsWorkingWhenItsCoordinatorDies() throws Exception {
        try (Admin admin = cluster.admin(); KafkaProducer<String, String> producer = producer(false);
             KafkaConsumer<String, String> consumer = consumer("survivors")) {
            consumer.subscribe(List.of("triple"));
            await("an assignment", FAILOVER, () -> {
                consumer.poll(Duration.ofMillis(200));
                return !consumer.assignment().isEmpty();
            });
            consumer.commitSync();
            Node coordinator = admin.describeConsumerGroups(List.of("survivors")).all().get().get("survivors").coordinator();
            cluster.kill(coordinator.id());
            // The group's offsets partition gets a new leader, which coordinates it from then on. Its
            // state is not replicated yet (the next stage), so the member joins it afresh.
            await("a new coordinator", FAILOVER, () -> {
                consumer.poll(Duration.ofMillis(200));
                try (Admin fresh = cluster.admin()) {
                    Node c = fresh.describeConsumerGroups(List.of("survivors"),
                            new org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions().timeoutMs(5000))
                            .all().get().get("survivors").coordinator();
                    if (c == null || c.id() == coordinator.id()) {
                        throw new IllegalStateException("coordinator " + c);
                    }
                    return true;
                }
            });
            String marker = "after-coordinator-" + System.nanoTime();
            await("the marker produced", FAILOVER, () -> {
                try {
                    for (int p = 0; p < 3; p++) {
                        producer.send(new ProducerRecord<>("triple", p, "m", marker)).get(5, TimeUnit.SECONDS);
                    }
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            AtomicBoolean seen = new AtomicBoolean();
            await("the consumer reading and committing again", FAILOVER, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(300))) {
                    if (r.value().equals(marker)) {
                        seen.set(true);
                    }
                }
                if (!seen.get()) {
                    return false;
                }
                consumer.commitSync(Duration.ofSeconds(5));
                return true;
            });
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                    consumer.committed(Set.copyOf(consumer.assignment()), Duration.ofSeconds(10));
            assertTrue(committed.values().stream().anyMatch(o -> o != null && o.offset() > 0), committed.toString());
            cluster.restart(coordinator.id());
            awaitBrokers(admin, 3);
        }
    }

    @Test
    @Order(6)
    void aBrokerWithoutTheZooKeeperPluginRefusesToStartWithAClearMessage(@TempDir Path dir) throws Exception {
        Path image = Path.of(System.getProperty("fjord.image"));
        Path emptyPlugins = Files.createDirectories(dir.resolve("plugins"));
        Process p = new ProcessBuilder(image.resolve("bin/fjord").toString(), "broker",
                "--override", "node.id=9", "--override", "listeners=PLAINTEXT://127.0.0.1:0",
                "--override", "log.dirs=" + dir.resolve("data"), "--override", "plugin.path=" + emptyPlugins,
                "--override", "zookeeper.connect=" + cluster.zk.connectString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the broker did not exit");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("the ZooKeeper plugin is not installed"), out);
    }
}
