package io.fjord.clustertests;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.fjord.clustertests.FjordCluster.await;

/**
 * Figures for the cluster, run by hand (the name keeps it out of the test run):
 * {@code mvn -pl cluster-tests verify -Dtest=ClusterBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Prints the time the controller takes to create {@code fjord.bench.topics} topics (1,000) of
 * 10 partitions at replication factor 3, from the first CreateTopics to every leader known; and,
 * beside three Apache Kafka brokers in KRaft mode on the same machine, alternating for
 * {@code fjord.bench.rounds} rounds (3), the time from a leader's kill -9 to the first successful
 * produce to its partition and from the controller's kill -9 to a CreateTopics served. Both
 * detect a dead broker after 6 seconds ({@code zookeeper.session.timeout.ms},
 * {@code broker.session.timeout.ms}). The replicated produce benchmark ({@link ReplicatedProduceBench},
 * {@code -Dtest=ClusterBenchmark#replicatedProduceBesideKafka}) alternates the two clusters too, and
 * prints medians of throughput, p99, broker CPU per GiB and follower catch-up
 * ({@code -Dfjord.bench.mb=N}, 64, {@code -Dfjord.bench.catchup.mb=N}, 32, and
 * {@code -Dfjord.bench.targets=fjord,kafka} to run one side only).
 */
class ClusterBenchmark {

    /** A cluster under test: where to connect, how to kill a broker and who the controller is. */
    private interface Target extends AutoCloseable {
        String bootstrap();

        void kill(int id) throws Exception;

        void restart(int id) throws Exception;

        int controller(Admin admin) throws Exception;
    }

    @Test
    void failoverBesideKafka(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int rounds = Integer.getInteger("fjord.bench.rounds", 3);
        List<Long> fjordLeader = new ArrayList<>();
        List<Long> fjordController = new ArrayList<>();
        List<Long> kafkaLeader = new ArrayList<>();
        List<Long> kafkaController = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            FjordCluster fjord = FjordCluster.start(3, Map.of());
            try (Target t = new Target() {
                public String bootstrap() {
                    return fjord.bootstrap();
                }

                public void kill(int id) throws Exception {
                    fjord.kill(id);
                }

                public void restart(int id) throws Exception {
                    fjord.restart(id);
                }

                public int controller(Admin admin) throws Exception {
                    return admin.describeCluster().controller().get().id();
                }

                public void close() throws Exception {
                    fjord.close();
                }
            }) {
                long[] figures = measure(t, "fjord-" + r);
                fjordLeader.add(figures[0]);
                fjordController.add(figures[1]);
            }
            KafkaCluster kafka = KafkaCluster.start(dir.resolve("round-" + r), 6000);
            try (Target t = new Target() {
                public String bootstrap() {
                    return kafka.bootstrap();
                }

                public void kill(int id) throws Exception {
                    kafka.kill(id);
                }

                public void restart(int id) throws Exception {
                    kafka.launch(id);
                }

                public int controller(Admin admin) throws Exception {
                    return admin.describeMetadataQuorum().quorumInfo().get().leaderId();
                }

                public void close() throws Exception {
                    kafka.close();
                }
            }) {
                long[] figures = measure(t, "kafka-" + r);
                kafkaLeader.add(figures[0]);
                kafkaController.add(figures[1]);
            }
        }
        System.out.printf("leader kill -9 to first produce, ms: Fjord %s (median %d), Kafka %s (median %d)%n",
                fjordLeader, median(fjordLeader), kafkaLeader, median(kafkaLeader));
        System.out.printf("controller kill -9 to CreateTopics served, ms: Fjord %s (median %d), Kafka %s (median %d)%n",
                fjordController, median(fjordController), kafkaController, median(kafkaController));
    }

    @Test
    void replicatedProduceBesideKafka(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int rounds = Integer.getInteger("fjord.bench.rounds", 3);
        int mb = Integer.getInteger("fjord.bench.mb", 64);
        int catchUpMb = Integer.getInteger("fjord.bench.catchup.mb", 32);
        List<ReplicatedProduceBench.Figures> fjord = new ArrayList<>();
        List<ReplicatedProduceBench.Figures> kafka = new ArrayList<>();
        List<String> targets = List.of(System.getProperty("fjord.bench.targets", "fjord,kafka").split(","));
        for (int r = 0; r < rounds; r++) {
            if (targets.contains("fjord")) {
                try (FjordCluster c = FjordCluster.start(3, Map.of())) {
                    fjord.add(ReplicatedProduceBench.run(fjordBrokers(c), mb, catchUpMb));
                }
            }
            if (targets.contains("kafka")) {
                try (KafkaCluster k = KafkaCluster.start(dir.resolve("produce-" + r), 6000)) {
                    kafka.add(ReplicatedProduceBench.run(kafkaBrokers(k), mb, catchUpMb));
                }
            }
            System.out.printf("round %d: Fjord %s, Kafka %s%n", r, fjord, kafka);
        }
        System.out.printf("RF 3 acks=all, %d MiB of 1 KiB records, medians of %d rounds (Fjord / Kafka):%n", mb, rounds);
        System.out.printf("  throughput MiB/s %.1f / %.1f; p99 ms %.1f / %.1f; broker CPU s per GiB %.1f / %.1f;"
                        + " follower catch-up MiB/s %.1f / %.1f (-1: not caught up in 2 min)%n",
                medianOf(fjord, ReplicatedProduceBench.Figures::mbPerSec), medianOf(kafka, ReplicatedProduceBench.Figures::mbPerSec),
                medianOf(fjord, ReplicatedProduceBench.Figures::p99Ms), medianOf(kafka, ReplicatedProduceBench.Figures::p99Ms),
                medianOf(fjord, ReplicatedProduceBench.Figures::cpuSecondsPerGib),
                medianOf(kafka, ReplicatedProduceBench.Figures::cpuSecondsPerGib),
                medianOf(fjord, ReplicatedProduceBench.Figures::catchUpMbPerSec),
                medianOf(kafka, ReplicatedProduceBench.Figures::catchUpMbPerSec));
    }

    private static ReplicatedProduceBench.Brokers fjordBrokers(FjordCluster c) {
        return new ReplicatedProduceBench.Brokers() {
            public String bootstrap() {
                return c.bootstrap();
            }

            public void stop(int id) throws Exception {
                c.stop(id);
            }

            public void restart(int id) throws Exception {
                c.restart(id);
            }

            public List<Long> pids() {
                return c.ids().stream().filter(id -> c.node(id).alive()).map(id -> c.node(id).process.pid()).toList();
            }
        };
    }

    private static ReplicatedProduceBench.Brokers kafkaBrokers(KafkaCluster k) {
        return new ReplicatedProduceBench.Brokers() {
            public String bootstrap() {
                return k.bootstrap();
            }

            public void stop(int id) throws Exception {
                k.stop(id);
            }

            public void restart(int id) throws Exception {
                k.launch(id);
            }

            public List<Long> pids() {
                return k.pids();
            }
        };
    }

    private static double medianOf(List<ReplicatedProduceBench.Figures> rounds,
            java.util.function.ToDoubleFunction<ReplicatedProduceBench.Figures> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** [leader kill to produce, controller kill to CreateTopics], in ms. */
    private static long[] measure(Target t, String name) throws Exception {
        java.util.Properties pp = new java.util.Properties();
        pp.put("bootstrap.servers", t.bootstrap());
        pp.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        pp.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        pp.put("enable.idempotence", "false");
        pp.put("acks", "1");
        pp.put("metadata.max.age.ms", "500");
        long leaderMs;
        int killedLeader;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", t.bootstrap()))) {
            await("three brokers", Duration.ofMinutes(2), () -> admin.describeCluster().nodes().get().size() == 3);
            admin.createTopics(List.of(new NewTopic("failover", 1, (short) 3))).all().get();
            await("a leader", Duration.ofMinutes(1), () -> leaderOf(admin) >= 0);
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(pp)) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("failover", "k", "before")).get();
                killedLeader = leaderOf(admin);
                long killedAt = System.nanoTime();
                t.kill(killedLeader);
                await("a produce after the kill", Duration.ofMinutes(2), () -> {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("failover", "k", "after"))
                            .get(2, TimeUnit.SECONDS);
                    return true;
                });
                leaderMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            }
            // Back to three, so the controller's kill leaves a majority of Kafka's voters.
            t.restart(killedLeader);
            await("three brokers again", Duration.ofMinutes(2), () -> admin.describeCluster().nodes().get().size() == 3);
        }
        long controllerMs;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", t.bootstrap()))) {
            int controller = t.controller(admin);
            long killedAt = System.nanoTime();
            t.kill(controller);
            await("a CreateTopics served", Duration.ofMinutes(2), () -> {
                try (Admin fresh = Admin.create(Map.of("bootstrap.servers", t.bootstrap()))) {
                    fresh.createTopics(List.of(new NewTopic("after-" + System.nanoTime(), 1, (short) 1))).all()
                            .get(3, TimeUnit.SECONDS);
                    return true;
                }
            });
            controllerMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        }
        System.out.printf("%s: leader %d -> produce in %d ms; controller -> CreateTopics in %d ms%n", name,
                killedLeader, leaderMs, controllerMs);
        return new long[] {leaderMs, controllerMs};
    }

    private static int leaderOf(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of("failover")).allTopicNames().get().get("failover");
        return d.partitions().get(0).leader() == null ? -1 : d.partitions().get(0).leader().id();
    }

    @Test
    void createManyTopics() throws Exception {
        int topics = Integer.getInteger("fjord.bench.topics", 1000);
        try (FjordCluster cluster = FjordCluster.start(3, Map.of()); Admin admin = cluster.admin()) {
            long start = System.nanoTime();
            for (int from = 0; from < topics; from += 100) {
                List<NewTopic> batch = new ArrayList<>();
                for (int i = from; i < Math.min(topics, from + 100); i++) {
                    batch.add(new NewTopic("bench-" + i, 10, (short) 3));
                }
                admin.createTopics(batch).all().get();
            }
            long created = System.nanoTime();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < topics; i++) {
                names.add("bench-" + i);
            }
            await("every leader", Duration.ofMinutes(5), () -> {
                Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get();
                return d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null));
            });
            long led = System.nanoTime();
            System.out.printf("%d topics x 10 partitions x RF 3: CreateTopics answered in %d ms, every leader known"
                            + " in %d ms%n", topics, TimeUnit.NANOSECONDS.toMillis(created - start),
                    TimeUnit.NANOSECONDS.toMillis(led - start));
        }
    }
}
