package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.log.CleanerStats;
import io.fjord.log.LogCleaner;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.record.internal.FileLogInputStream;
import org.apache.kafka.common.record.internal.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A compacted topic through Kafka's own producer and consumer: after the cleaner ran, a reader
 * sees exactly the latest value of each live key, in offset order, and no deleted key once
 * {@code delete.retention.ms} has passed; Kafka's FileRecords reads every cleaned segment.
 */
class CompactedTopicTest {

    private static final String TOPIC = "table";
    private static final int KEYS = 10_000;
    private static final int ROUNDS = 20;
    private static final long DELETE_RETENTION_MS = 1_000;

    @TempDir
    Path dataDir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean deleted(int key) {
        return key % 7 == 0;
    }

    @Test
    void readersSeeTheLatestValueOfEveryLiveKeyAfterCleaning() throws Exception {
        Map<String, String> broker = Map.of("log.cleaner.backoff.ms", "50",
                "log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        try (BrokerFixture fixture = BrokerFixture.start(dataDir, broker); Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact",
                    "segment.bytes", Integer.toString(1024 * 1024),
                    "segment.ms", "500",
                    "min.cleanable.dirty.ratio", "0.01",
                    "delete.retention.ms", Long.toString(DELETE_RETENTION_MS))))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
                    ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024))) {
                for (int round = 0; round < ROUNDS; round++) {
                    for (int k = 0; k < KEYS; k++) {
                        boolean tombstone = round == ROUNDS - 1 && deleted(k);
                        producer.send(new ProducerRecord<>(TOPIC, 0, bytes("key-" + k),
                                tombstone ? null : bytes("value-" + k + "-" + round)));
                    }
                }
                producer.flush();
            }
            long written = System.currentTimeMillis();
            try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "1",
                    ProducerConfig.RETRIES_CONFIG, 0))) {
                ExecutionException keyless = assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>(TOPIC, 0, null, bytes("no key"))).get());
                assertInstanceOf(InvalidRecordException.class, keyless.getCause());
            }
            // Once segment.ms has passed, the next append rolls: every record written above then
            // lies in inactive segments the cleaner may take.
            waitUntil("segment.ms to pass", 10_000, () -> System.currentTimeMillis() - written > 600);
            long sentinel;
            try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
                RecordMetadata last = producer.send(new ProducerRecord<>(TOPIC, 0, bytes("~sentinel"),
                        bytes("end"))).get();
                sentinel = last.offset();
            }
            assertEquals((long) KEYS * ROUNDS, sentinel, "the refused record took no offset");

            TopicPartition tp = new TopicPartition(TOPIC, 0);
            LogCleaner cleaner = fixture.broker().logManager().cleaner();
            waitUntil(() -> "a cleaning up to the sentinel, last: " + cleaner.lastStats(tp), 120_000,
                    () -> cleaner.firstDirtyOffset(tp) >= sentinel);
            CleanerStats first = cleaner.lastStats(tp);
            assertNotNull(first);
            assertTrue(first.recordsWritten() < first.recordsRead());
            // Tombstones go with the first cleaning that starts after their batch's delete horizon.
            waitUntil(() -> "a cleaning after the delete horizon, last: " + cleaner.lastStats(tp), 120_000,
                    () -> cleaner.pendingDeleteHorizonMs(tp) < 0);

            Map<String, String> expected = new HashMap<>();
            for (int k = 0; k < KEYS; k++) {
                if (!deleted(k)) {
                    expected.put("key-" + k, "value-" + k + "-" + (ROUNDS - 1));
                }
            }
            expected.put("~sentinel", "end");
            assertEquals(expected, readAll(fixture, sentinel + 1));
            assertKafkaReadsEverySegment(dataDir.resolve(TOPIC + "-0"));
        }
    }

    /** Every record from offset 0 to {@code end}, checking that each key comes once and offsets rise. */
    private static Map<String, String> readAll(BrokerFixture fixture, long end) {
        Map<String, String> seen = new HashMap<>();
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long previous = -1;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (consumer.position(tp) < end) {
                assertTrue(System.nanoTime() < deadline, "reading timed out at " + consumer.position(tp));
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    assertTrue(r.offset() > previous, "offsets rise");
                    previous = r.offset();
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    assertNotNull(r.value(), "no tombstone of " + key + " is left");
                    assertFalse(seen.containsKey(key), key + " is read twice");
                    seen.put(key, new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return seen;
    }

    private static void assertKafkaReadsEverySegment(Path partition) throws Exception {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(partition, "*.log")) {
            files.forEach(segments::add);
        }
        assertFalse(segments.isEmpty());
        long records = 0;
        for (Path segment : segments) {
            try (FileRecords file = FileRecords.open(segment.toFile(), false)) {
                for (FileLogInputStream.FileChannelRecordBatch batch : file.batches()) {
                    batch.ensureValid();
                    for (var ignored : batch) {
                        records++;
                    }
                }
            }
        }
        assertEquals(KEYS - (KEYS + 6) / 7 + 1, records, "only live keys and the sentinel are stored");
    }
}
