package io.fjord.clustertests;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One round of the replicated produce benchmark on three brokers (Fjord's or Kafka's): a topic of
 * 3 partitions at replication factor 3 with {@code min.insync.replicas=2}, an idempotent acks=all
 * producer sending {@code mb} MiB of 1 KiB records as fast as it can (throughput, p99 latency of
 * the acknowledgements, and the brokers' CPU per GiB from {@code /proc/<pid>/stat}); then a
 * follower stopped, {@code catchUpMb} MiB produced without it, the follower restarted and timed
 * until every ISR is full again. Sized for a 2-core machine; run by hand only.
 */
final class ReplicatedProduceBench {

    /** The brokers under test. */
    interface Brokers {
        String bootstrap();

        void stop(int id) throws Exception;

        void restart(int id) throws Exception;

        List<Long> pids();
    }

    /** A round's figures; {@code catchUpMbPerSec} is -1 when the follower did not catch up within two minutes. */
    record Figures(double mbPerSec, double p99Ms, double cpuSecondsPerGib, double catchUpMbPerSec) {
    }

    private static final int RECORD = 1024;
    private static final String TOPIC = "bench-rf3";
    /** USER_HZ: the unit of the CPU times in /proc/<pid>/stat on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private ReplicatedProduceBench() {
    }

    static Figures run(Brokers brokers, int mb, int catchUpMb) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers.bootstrap()))) {
            FjordCluster.await("three brokers", java.time.Duration.ofMinutes(2),
                    () -> admin.describeCluster().nodes().get().size() == 3);
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get();
            FjordCluster.await("full ISRs", java.time.Duration.ofMinutes(1), () -> fullIsr(admin));
            long cpuBefore = cpuTicks(brokers.pids());
            long start = System.nanoTime();
            long[] latencies = produce(brokers.bootstrap(), mb);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (cpuTicks(brokers.pids()) - cpuBefore) / TICKS_PER_SECOND;
            Arrays.sort(latencies);
            double p99 = latencies[(int) (latencies.length * 0.99)] / 1e6;

            int follower = follower(admin);
            brokers.stop(follower);
            FjordCluster.await("the ISRs without " + follower, java.time.Duration.ofMinutes(1), () -> !fullIsr(admin));
            produce(brokers.bootstrap(), catchUpMb);
            brokers.restart(follower);
            long restarted = System.nanoTime();
            double catchUp;
            try {
                FjordCluster.await("full ISRs again", java.time.Duration.ofMinutes(2), () -> fullIsr(admin));
                catchUp = catchUpMb / ((System.nanoTime() - restarted) / 1e9);
            } catch (AssertionError e) {
                catchUp = -1;
            }
            return new Figures(mb / seconds, p99, cpuSeconds / (mb / 1024.0), catchUp);
        }
    }

    /** Sends {@code mb} MiB and returns each acknowledgement's latency in ns. */
    private static long[] produce(String bootstrap, int mb) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        int count = mb * 1024 * 1024 / RECORD;
        long[] latencies = new long[count];
        byte[] value = new byte[RECORD];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                int n = i;
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(TOPIC, value), (m, e) -> {
                    if (e != null) {
                        throw new IllegalStateException("a benchmark send failed", e);
                    }
                    latencies[n] = System.nanoTime() - sent;
                });
            }
            producer.flush();
        }
        return latencies;
    }

    private static boolean fullIsr(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC);
        return d.partitions().stream().allMatch(x -> x.leader() != null && x.isr().size() == 3);
    }

    /** A replica of partition 0 that does not lead it. */
    private static int follower(Admin admin) throws Exception {
        TopicDescription d = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        int leader = d.partitions().get(0).leader().id();
        return d.partitions().get(0).replicas().stream().mapToInt(n -> n.id()).filter(id -> id != leader)
                .findFirst().orElseThrow();
    }

    /** utime + stime (fields 14 and 15) of each process, in clock ticks. */
    static long cpuTicks(List<Long> pids) throws IOException {
        long total = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count from after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return total;
    }
}
