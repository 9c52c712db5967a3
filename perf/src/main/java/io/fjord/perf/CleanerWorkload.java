package io.fjord.perf;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The client side of {@code perf/compare-cleaner.sh}, run against a Fjord or an Apache Kafka
 * broker alike with Kafka's own clients. Each command prints one {@code key=value} line.
 *
 * <pre>
 * fill BOOTSTRAP TOPIC RECORDS KEYS VALUE_BYTES SEGMENT_BYTES
 *     creates TOPIC (1 partition, cleanup.policy=delete, no retention) and writes RECORDS records
 *     over KEYS keys, every key in turn
 * compact BOOTSTRAP TOPIC PARTITION_DIR
 *     switches TOPIC to cleanup.policy=compact and waits until the .log files of PARTITION_DIR
 *     keep their size for 10 s; prints the bytes before and after and the seconds from the
 *     switch to the last change of size
 * commit BOOTSTRAP GROUP TOPIC PARTITIONS COMMITS
 *     creates TOPIC and commits COMMITS times one offset per partition for GROUP
 * fetch BOOTSTRAP GROUP PARTITIONS
 *     waits until the broker answers GROUP's committed offsets and checks there are PARTITIONS
 * </pre>
 */
public final class CleanerWorkload {

    private static final long SETTLE_MS = 10_000;

    private CleanerWorkload() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fill" -> fill(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), args[6]);
            case "compact" -> compact(args[1], args[2], Path.of(args[3]));
            case "commit" -> commit(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            case "fetch" -> fetch(args[1], args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 600_000));
    }

    private static void fill(String bootstrap, String topic, long records, int keys, int valueBytes,
                             String segmentBytes) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "delete", "retention.ms", "-1", "segment.bytes", segmentBytes)))).all().get();
        }
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        byte[] value = new byte[valueBytes];
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < records; i++) {
                value[0] = (byte) i;
                producer.send(new ProducerRecord<>(topic, 0,
                        ("key-" + (i % keys)).getBytes(StandardCharsets.UTF_8), value.clone()));
            }
            producer.flush();
        }
        System.out.printf("fill_seconds=%.1f%n", (System.nanoTime() - start) / 1e9);
    }

    private static void compact(String bootstrap, String topic, Path partitionDir) throws Exception {
        long before = logBytes(partitionDir);
        long switched;
        try (Admin admin = admin(bootstrap)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.SET)))).all().get();
            switched = System.nanoTime();
        }
        long size = before;
        long lastChange = switched;
        while (System.nanoTime() - lastChange < TimeUnit.MILLISECONDS.toNanos(SETTLE_MS)) {
            Thread.sleep(100);
            long now = logBytes(partitionDir);
            if (now != size) {
                size = now;
                lastChange = System.nanoTime();
            }
        }
        double seconds = (lastChange - switched) / 1e9;
        System.out.printf("bytes_before=%d bytes_after=%d clean_seconds=%.2f mb_per_s=%.1f%n", before, size, seconds,
                before / 1e6 / seconds);
    }

    /** Bytes of the partition's segments; files renamed for deletion no longer count. */
    private static long logBytes(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static void commit(String bootstrap, String group, String topic, int partitions, int commits)
            throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, group)) {
            consumer.assign(tps);
            for (int c = 1; c <= commits; c++) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (TopicPartition tp : tps) {
                    offsets.put(tp, new OffsetAndMetadata(c));
                }
                if (c == commits) {
                    consumer.commitSync(offsets);
                } else {
                    consumer.commitAsync(offsets, null);
                }
            }
        }
        System.out.printf("commit_seconds=%.1f%n", (System.nanoTime() - start) / 1e9);
    }

    private static void fetch(String bootstrap, String group, int partitions) throws Exception {
        long start = System.nanoTime();
        try (Admin admin = admin(bootstrap)) {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            if (offsets.size() != partitions) {
                throw new IllegalStateException("expected " + partitions + " offsets, got " + offsets);
            }
        }
        System.out.printf("fetch_seconds=%.2f%n", (System.nanoTime() - start) / 1e9);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
