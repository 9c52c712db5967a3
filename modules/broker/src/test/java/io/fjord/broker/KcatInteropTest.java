package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * librdkafka's command-line client kcat against a real broker: metadata, produce with every
 * built-in codec (snappy is a plugin the broker's tests do not load, so it is left out), and
 * consume. Kafka's Java client is the other side of every exchange.
 */
class KcatInteropTest {

    @TempDir
    static Path dir;

    private static BrokerFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Kcat.installed(), "kcat is not installed");
        fixture = BrokerFixture.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String kcat(String stdin, String... args) throws IOException, InterruptedException {
        return Kcat.run(fixture.bootstrap(), dir, stdin, args);
    }

    private static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    @Test
    void metadataListsTheBrokerAndTheTopics() throws Exception {
        createTopic("kcat-listed", 3);
        String json = kcat("", "-L", "-J", "-t", "kcat-listed");
        // kcat -J: {"originating_broker":{...},"query":{...},"controllerid":..,"brokers":[{"id":1,"name":"127.0.0.1:<port>"}],
        // "topics":[{"topic":"kcat-listed","partitions":[{"partition":0,"leader":1,...},...]}]}
        String compact = json.replace(" ", "");
        assertTrue(compact.contains("\"brokers\":[{\"id\":1,\"name\":\"127.0.0.1:" + fixture.broker().boundPort() + "\"}]"), json);
        assertTrue(compact.contains("\"topic\":\"kcat-listed\""), json);
        for (int p = 0; p < 3; p++) {
            assertTrue(compact.contains("\"partition\":" + p + ",\"leader\":1"), json);
        }
        assertFalse(compact.contains("\"partition\":3,"), json);
        assertFalse(compact.contains("\"error\""), json);

        String all = kcat("", "-L").replace("\t", " ");
        assertTrue(all.contains("broker 1 at 127.0.0.1:" + fixture.broker().boundPort()), all);
        assertTrue(all.contains("topic \"kcat-listed\" with 3 partitions"), all);
    }

    @ParameterizedTest
    @CsvSource({"none, 0", "gzip, 1", "lz4, 3", "zstd, 4"})
    void kcatProducesWithEveryCodecAndTheJavaConsumerReadsItBack(String codec, int codecId) throws Exception {
        String topic = "kcat-produced-" + codec;
        createTopic(topic, 1);
        int count = 500;
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < count; i++) {
            // Repetitive values, so the compressed batch is smaller and librdkafka keeps it compressed.
            input.append("key-").append(i).append(':').append("value-").append(i).append("-aaaaaaaaaaaaaaaaaaaaaaaa\n");
        }
        kcat(input.toString(), "-P", "-t", topic, "-p", "0", "-K:", "-z", codec, "-X", "linger.ms=50");

        try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertEquals(count, records.size());
            for (int i = 0; i < count; i++) {
                ConsumerRecord<byte[], byte[]> r = records.get(i);
                assertEquals(i, r.offset());
                assertEquals("key-" + i, new String(r.key(), StandardCharsets.UTF_8));
                assertEquals("value-" + i + "-aaaaaaaaaaaaaaaaaaaaaaaa", new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(codecId, firstBatchCodec(topic), "the batch is stored with the codec kcat used");
    }

    /** The compression bits of the attributes of the first batch in the partition's first segment. */
    private static int firstBatchCodec(String topic) throws IOException {
        Path segment = fixture.dataDir().resolve(topic + "-0").resolve("00000000000000000000.log");
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            // Record batch v2: baseOffset(8) length(4) partitionLeaderEpoch(4) magic(1) crc(4) attributes(2).
            ByteBuffer head = ByteBuffer.allocate(23);
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // Reads until the 23 bytes are in or the file ends.
            }
            assertEquals(23, head.position(), "the segment holds a batch header");
            assertEquals(2, head.get(16), "magic");
            return head.getShort(21) & 0x7;
        }
    }

    @Test
    void kcatConsumesWhatTheJavaProducerWroteInOrder() throws Exception {
        String topic = "kcat-consumed";
        createTopic(topic, 1);
        int count = 300;
        List<String> expected = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of("compression.type", "zstd"))) {
            for (int i = 0; i < count; i++) {
                String key = "k" + i;
                String value = "payload number " + i;
                producer.send(new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
                expected.add(key + " " + value);
            }
            producer.flush();
        }
        String out = kcat("", "-C", "-t", topic, "-e", "-o", "beginning", "-q", "-f", "%k %s\\n");
        assertEquals(expected, out.lines().toList());
    }
}
