package io.fjord.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kill -9 of a broker in its own JVM in the middle of an idempotent acks=all stream, three times,
 * each time restarted on the same data and port while the same producer goes on: in the end every
 * acknowledged record is at the offset it was acknowledged with, the offsets run from 0 without
 * gaps across segment rolls, and no record is there twice; a clean restart after that keeps the
 * topic, its config and the records.
 */
class DurabilityTest {

    private static final String TOPIC = "durable";
    private static final int PARTITIONS = 2;
    private static final String RETENTION_MS = "86400000";
    /** Kafka's smallest segment size, so the records span several segments and recovery crosses a roll. */
    private static final String SEGMENT_BYTES = "1048576";
    private static final String PADDING = "-" + "p".repeat(300);
    private static final int KILLS = 3;
    private static final int ACKS_PER_ROUND = 2_000;
    /** Records sent but not yet acknowledged, at most: enough to keep batches in flight at the kill. */
    private static final int WINDOW = 500;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedRecordSurvivesKillNineAndTheProducerGoesOn() throws Exception {
        Path dataDir = tmp.resolve("data");
        // Acknowledged offsets by partition, and the value acknowledged at each.
        Map<Integer, Map<Long, String>> acked = new ConcurrentHashMap<>();
        AtomicInteger ackCount = new AtomicInteger();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        ForkedBroker broker = ForkedBroker.start(dataDir, 0, Map.of());
        int port = broker.port;
        try (Admin admin = admin(broker.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)
                    .configs(Map.of("retention.ms", RETENTION_MS, "segment.bytes", SEGMENT_BYTES)))).all().get();
        }
        int sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrap())) {
            try {
                for (int kill = 0; kill < KILLS; kill++) {
                    // Up to WINDOW records stay unacknowledged, so batches are in flight when the broker dies.
                    sent = sendUntilAcked(producer, sent, ackCount.get() + ACKS_PER_ROUND, acked, ackCount, firstError);
                    broker.kill9();
                    assertFalse(broker.isAlive());
                    // Same data, same port: the same producer reconnects, retries what was in flight and goes on.
                    broker = ForkedBroker.start(dataDir, port, Map.of());
                }
                sent = sendUntilAcked(producer, sent, ackCount.get() + ACKS_PER_ROUND, acked, ackCount, firstError);
                producer.flush();
                assertNull(firstError.get(), () -> "a send failed across the restarts: " + firstError.get());
                assertEquals(sent, ackCount.get(), "every send of an idempotent producer is acknowledged");
                verifyLog(broker.bootstrap(), acked, sent);
                broker.stopCleanly();
            } finally {
                broker.close();
            }
        }
        assertTrue(segmentCount(dataDir.resolve(TOPIC + "-0")) > 1, "the partition rolled segments on the way");
        // A clean restart of the recovered data keeps the topic, its config and every record.
        try (ForkedBroker last = ForkedBroker.start(dataDir, 0, Map.of()); Admin admin = admin(last.bootstrap())) {
            assertEquals(Set.of(TOPIC), admin.listTopics().names().get());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            assertEquals(RETENTION_MS, admin.describeConfigs(List.of(resource)).all().get()
                    .get(resource).get("retention.ms").value());
            verifyLog(last.bootstrap(), acked, sent);
            last.stopCleanly();
        }
    }

    private static long segmentCount(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }

    /**
     * Sends with at most {@code WINDOW} unacknowledged records until {@code target} records are
     * acknowledged or a send fails; returns the number sent.
     */
    private static int sendUntilAcked(KafkaProducer<byte[], byte[]> producer, int sent, int target,
                                      Map<Integer, Map<Long, String>> acked, AtomicInteger ackCount,
                                      AtomicReference<Exception> firstError) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (ackCount.get() < target && firstError.get() == null) {
            if (System.nanoTime() > deadline) {
                fail(ackCount.get() + " of " + target + " records acknowledged in 240 s");
            }
            if (sent - ackCount.get() < WINDOW) {
                sent = send(producer, sent, acked, ackCount, firstError);
            } else {
                Thread.sleep(1);
            }
        }
        return sent;
    }

    private static int send(KafkaProducer<byte[], byte[]> producer, int index, Map<Integer, Map<Long, String>> acked,
                            AtomicInteger ackCount, AtomicReference<Exception> firstError) {
        String value = "record-" + index + PADDING;
        producer.send(new ProducerRecord<>(TOPIC, index % PARTITIONS, null, value.getBytes(StandardCharsets.UTF_8)),
                (metadata, exception) -> {
                    if (exception != null) {
                        firstError.compareAndSet(null, exception);
                        return;
                    }
                    String previous = acked.computeIfAbsent(metadata.partition(), p -> new ConcurrentHashMap<>())
                            .put(metadata.offset(), value);
                    if (previous != null) {
                        firstError.compareAndSet(null, new IllegalStateException(
                                "offset " + metadata.offset() + " acknowledged for " + previous + " and " + value));
                    }
                    ackCount.incrementAndGet();
                });
        return index + 1;
    }

    /** Reads both partitions from 0 and checks them against what was acknowledged. */
    private static void verifyLog(String bootstrap, Map<Integer, Map<Long, String>> acked, int sent) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            int total = 0;
            Map<String, Long> seen = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(TOPIC, p);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                Map<Long, String> expected = acked.getOrDefault(p, Map.of());
                assertEquals(expected.size(), end, "partition " + p + ": every record in the log was acknowledged once");
                long next = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (next < end) {
                    if (System.nanoTime() > deadline) {
                        fail("partition " + p + ": read up to offset " + next + " of " + end + " in 60 s");
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        assertEquals(next, r.offset(), "partition " + p + ": offsets are contiguous from 0");
                        String value = new String(r.value(), StandardCharsets.UTF_8);
                        assertEquals(expected.get(r.offset()), value, "partition " + p + " offset " + r.offset());
                        Long other = seen.put(value, r.offset());
                        assertNull(other, value + " is in the log twice");
                        next++;
                    }
                }
                total += (int) end;
            }
            assertEquals(sent, total, "every record sent is in the log exactly once");
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 4096);
        // Long enough to outlast a JVM restart on a loaded machine.
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
