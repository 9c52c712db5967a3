package io.fjord.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static io.fjord.broker.testing.BrokerFixture.admin;
import static io.fjord.broker.testing.BrokerFixture.consumer;
import static io.fjord.broker.testing.BrokerFixture.producer;
import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a broker in the middle of cleaning, at several points (building the offset map,
 * writing a cleaned segment, right after a swap), then a restart that recovers and cleans on:
 * every reader finds the latest value of every key, each record at the offset it was written at.
 */
class CleanerKillTest {

    private static final String TOPIC = "changelog";
    private static final int KEYS = 4_000;
    /** Rounds of writes before each kill. */
    private static final int ROUNDS = 5;
    /** What the cleaner logs when it starts a cleaning of the topic. */
    private static final String MAP_LINE = "Building offset map of " + TOPIC + "-0";

    @TempDir
    Path tmp;

    /** A throttled cleaner, so a cleaning lasts seconds and the kills land inside it. */
    private static Map<String, String> settings() {
        return Map.of("log.cleaner.backoff.ms", "50",
                "log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024),
                "log.cleaner.io.max.bytes.per.second", Integer.toString(3 * 1024 * 1024));
    }

    @Test
    void aBrokerKilledWhileCleaningRecoversToTheSameLatestValues() throws Exception {
        Path dataDir = tmp.resolve("data");
        Path partition = dataDir.resolve(TOPIC + "-0");
        Path brokerLog = dataDir.resolveSibling(dataDir.getFileName() + "-broker.err");
        List<String[]> writtenAt = new ArrayList<>();
        ForkedBroker broker = ForkedBroker.start(dataDir, 0, settings());
        int port = broker.port;
        try {
            try (Admin admin = admin(broker.bootstrap())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                        "cleanup.policy", "compact", "segment.bytes", Integer.toString(1024 * 1024),
                        "min.cleanable.dirty.ratio", "0.01")))).all().get();
            }
            // Kill points: while an offset map is built (nothing written yet), while a cleaned
            // segment is written, and just after a swap put a cleaned segment in. Each round of
            // writes before a kill gives the cleaner seconds of throttled work.
            for (String point : List.of("map", ".cleaned", ".deleted")) {
                long cleaningsBefore = countLines(brokerLog, MAP_LINE);
                write(broker.bootstrap(), writtenAt);
                if (point.equals("map")) {
                    waitUntil("a cleaning to start", 120_000, () -> countLines(brokerLog, MAP_LINE) > cleaningsBefore);
                } else {
                    waitUntil("a " + point + " file in " + partition, 120_000, () -> hasFile(partition, point));
                }
                broker.kill9();
                broker = ForkedBroker.start(dataDir, port, settings());
                assertLatest(broker.bootstrap(), writtenAt);
            }
        } finally {
            broker.close();
        }
    }

    /** Writes {@code ROUNDS} values of every key and records what each offset holds. */
    private static void write(String bootstrap, List<String[]> writtenAt) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        int first = writtenAt.size();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, Map.of(ProducerConfig.LINGER_MS_CONFIG, 20))) {
            for (int round = 0; round < ROUNDS; round++) {
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    String value = "value-" + k + "-" + (first + round) + "-" + "x".repeat(200);
                    acks.add(producer.send(new ProducerRecord<>(TOPIC, 0, bytes(key), bytes(value))));
                    writtenAt.add(new String[] {key, value});
                }
            }
            producer.flush();
        }
        for (int i = 0; i < acks.size(); i++) {
            assertEquals(first + i, acks.get(i).get().offset(), "one partition, one producer: offsets follow the sends");
        }
    }

    private static long countLines(Path file, String text) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static boolean hasFile(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(suffix));
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads everything: each record is the one written at its offset and every key has its latest value. */
    private static void assertLatest(String bootstrap, List<String[]> writtenAt) {
        Map<String, String> expected = new HashMap<>();
        for (String[] kv : writtenAt) {
            expected.put(kv[0], kv[1]);
        }
        Map<String, String> latest = new HashMap<>();
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long previous = -1;
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (consumer.position(tp) < writtenAt.size()) {
                assertTrue(System.nanoTime() < deadline, "reading timed out at " + consumer.position(tp));
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    assertTrue(r.offset() > previous, "offsets rise");
                    previous = r.offset();
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    String value = new String(r.value(), StandardCharsets.UTF_8);
                    String[] written = writtenAt.get((int) r.offset());
                    assertEquals(written[0], key, "key at offset " + r.offset());
                    assertEquals(written[1], value, "value at offset " + r.offset());
                    latest.put(key, value);
                }
            }
        }
        assertEquals(expected, latest);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
