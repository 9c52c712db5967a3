package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka's producer and consumer, unchanged, against a Fjord broker. */
class ProduceConsumeTest {

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir);
        admin = fixture.admin();
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        fixture.close();
    }

    private void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
    }

    /** Records with distinct keys and values, a null value every 7th, headers (one with a null value) every 3rd. */
    private static List<ProducerRecord<byte[], byte[]>> records(String topic, int partition, int count, long seed) {
        Random random = new Random(seed);
        List<ProducerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = null;
            if (i % 7 != 3) {
                value = new byte[10 + random.nextInt(200)];
                random.nextBytes(value);
            }
            List<Header> headers = new ArrayList<>();
            if (i % 3 == 0) {
                headers.add(new RecordHeader("index", Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
                headers.add(new RecordHeader("empty", null));
            }
            list.add(new ProducerRecord<>(topic, partition, 1_700_000_000_000L + i, key, value, headers));
        }
        return list;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> consumer, int count)
            throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (got.size() < count && System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
            batch.forEach(got::add);
        }
        return got;
    }

    private static void assertSame(ProducerRecord<byte[], byte[]> sent, ConsumerRecord<byte[], byte[]> got) {
        assertArrayEquals(sent.key(), got.key());
        assertArrayEquals(sent.value(), got.value());
        assertEquals((long) sent.timestamp(), got.timestamp());
        Header[] expected = sent.headers().toArray();
        Header[] actual = got.headers().toArray();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].key(), actual[i].key());
            assertArrayEquals(expected[i].value(), actual[i].value());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "lz4", "zstd"})
    void idempotentAcksAllRoundTripPerCodec(String codec) throws Exception {
        String topic = "codec-" + codec;
        createTopic(topic, 2, Map.of());
        List<ProducerRecord<byte[], byte[]>> sent = records(topic, 1, 500, codec.hashCode());
        List<RecordMetadata> acked = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec, ProducerConfig.BATCH_SIZE_CONFIG, 4096))) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : sent) {
                futures.add(producer.send(r));
            }
            for (Future<RecordMetadata> f : futures) {
                acked.add(f.get());
            }
        }
        for (int i = 0; i < acked.size(); i++) {
            assertEquals(i, acked.get(i).offset(), "offsets are dense and in send order");
            assertEquals(1, acked.get(i).partition());
        }
        try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 1);
            consumer.assign(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> got = readAll(consumer, sent.size());
            assertEquals(sent.size(), got.size());
            for (int i = 0; i < sent.size(); i++) {
                assertEquals(i, got.get(i).offset());
                assertSame(sent.get(i), got.get(i));
            }
            assertEquals(sent.size(), consumer.endOffsets(List.of(tp)).get(tp));
            assertEquals(0L, consumer.endOffsets(List.of(new TopicPartition(topic, 0))).get(new TopicPartition(topic, 0)));
        }
    }

    @Test
    void seekAndOffsetLookups() throws Exception {
        createTopic("offsets", 1, Map.of());
        List<ProducerRecord<byte[], byte[]>> sent = records("offsets", 0, 100, 42);
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            for (ProducerRecord<byte[], byte[]> r : sent) {
                producer.send(r);
            }
            producer.flush();
        }
        TopicPartition tp = new TopicPartition("offsets", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            assertEquals(0L, consumer.beginningOffsets(List.of(tp)).get(tp));
            assertEquals(100L, consumer.endOffsets(List.of(tp)).get(tp));

            consumer.seek(tp, 60);
            List<ConsumerRecord<byte[], byte[]>> tail = readAll(consumer, 40);
            assertEquals(40, tail.size());
            assertEquals(60, tail.get(0).offset());
            assertSame(sent.get(60), tail.get(0));

            // Timestamps are 1_700_000_000_000 + index: the first record at or after +25 is offset 25.
            Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(
                    Map.of(tp, 1_700_000_000_025L));
            assertEquals(25L, byTime.get(tp).offset());
            assertEquals(1_700_000_000_025L, byTime.get(tp).timestamp());
            assertNull(consumer.offsetsForTimes(Map.of(tp, 1_800_000_000_000L)).get(tp));
        }

        admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(30))).all().get();
        try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            assertEquals(30L, consumer.beginningOffsets(List.of(tp)).get(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> rest = readAll(consumer, 70);
            assertEquals(70, rest.size());
            assertEquals(30, rest.get(0).offset());
        }
    }

    @Test
    void nearlyOneMebibyteRoundTripsAndTooLargeFailsWhileTheBrokerKeepsServing() throws Exception {
        createTopic("large", 1, Map.of());
        byte[] big = new byte[1_000_000];
        new Random(7).nextBytes(big);
        byte[] tooBig = new byte[1_100_000];
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024))) {
            assertEquals(0L, producer.send(new ProducerRecord<>("large", 0, null, big)).get().offset());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("large", 0, null, tooBig)).get());
            assertInstanceOf(RecordTooLargeException.class, e.getCause());
            assertEquals(1L, producer.send(new ProducerRecord<>("large", 0, null, new byte[] {1, 2, 3})).get().offset());
        }
        try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of())) {
            consumer.assign(List.of(new TopicPartition("large", 0)));
            List<ConsumerRecord<byte[], byte[]>> got = readAll(consumer, 2);
            assertEquals(2, got.size());
            assertArrayEquals(big, got.get(0).value());
            assertArrayEquals(new byte[] {1, 2, 3}, got.get(1).value());
        }
    }

    @Test
    void topicConfigChangesApplyToTheLiveLog() throws Exception {
        createTopic("limited", 1, Map.of());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "limited");
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("max.message.bytes", "2000"), AlterConfigOp.OpType.SET)))).all().get();

        ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("max.message.bytes");
        assertEquals("2000", entry.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source());
        ConfigEntry retention = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms");
        assertEquals("604800000", retention.value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, retention.source());

        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("limited", 0, null, new byte[5000])).get());
            assertInstanceOf(RecordTooLargeException.class, e.getCause());
            assertEquals(0L, producer.send(new ProducerRecord<>("limited", 0, null, new byte[100])).get().offset());
        }
    }

    @Test
    void acksAllOnASingleReplicaTopicUsesKafka4sEffectiveMinimum() throws Exception {
        // min.insync.replicas above the replication factor counts as the replication factor (Kafka 4).
        createTopic("strict", 1, Map.of("min.insync.replicas", "2"));
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.RETRIES_CONFIG, 0))) {
            assertEquals(0L, producer.send(new ProducerRecord<>("strict", 0, null, new byte[10])).get().offset());
        }
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "1"))) {
            assertEquals(1L, producer.send(new ProducerRecord<>("strict", 0, null, new byte[10])).get().offset());
        }
    }

    @Test
    void acksZeroIsWrittenWithoutAnswers() throws Exception {
        createTopic("fire", 1, Map.of());
        List<ProducerRecord<byte[], byte[]>> sent = records("fire", 0, 50, 3);
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.ACKS_CONFIG, "0"))) {
            for (ProducerRecord<byte[], byte[]> r : sent) {
                producer.send(r);
            }
            producer.flush();
        }
        TopicPartition tp = new TopicPartition("fire", 0);
        BrokerFixture.waitUntil("the acks=0 records to be appended", 30_000,
                () -> fixture.broker().replicaManager().partition(new io.fjord.api.TopicPartition("fire", 0))
                        .highWatermark() == 50);
        try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of())) {
            consumer.assign(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> got = readAll(consumer, 50);
            assertEquals(50, got.size());
            assertSame(sent.get(49), got.get(49));
        }
    }

    @Test
    void longPollReturnsAsSoonAsDataArrives() throws Exception {
        createTopic("waiting", 1, Map.of());
        TopicPartition tp = new TopicPartition("waiting", 0);
        KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of(
                "fetch.max.wait.ms", 30_000, "fetch.min.bytes", 1));
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long[] sentAt = new long[1];
            Thread sender = new Thread(() -> {
                try {
                    BrokerFixture.waitUntil("the consumer's fetch to be parked", 30_000,
                            () -> fixture.broker().replicaManager().delayedFetchCount() > 0);
                    sentAt[0] = System.nanoTime();
                    producer.send(new ProducerRecord<>("waiting", 0, null, "hello".getBytes(StandardCharsets.UTF_8)))
                            .get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofSeconds(60)).forEach(got::add);
            }
            long receivedAt = System.nanoTime();
            sender.join();
            assertEquals(1, got.size());
            assertEquals("hello", new String(got.get(0).value(), StandardCharsets.UTF_8));
            long waitedMs = (receivedAt - sentAt[0]) / 1_000_000;
            // The fetch waits up to 30 s; an append must wake it long before that.
            assertTrue(waitedMs < 15_000, "the parked fetch returned " + waitedMs + " ms after the append");
        } finally {
            // The consumer's next fetch is parked for 30 s; a plain close would wait for its answer.
            consumer.close(CloseOptions.timeout(Duration.ofMillis(100)));
        }
    }
}
