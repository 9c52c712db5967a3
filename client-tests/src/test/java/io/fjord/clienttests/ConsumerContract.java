package io.fjord.clienttests;

import io.fjord.api.Headers;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.api.consumer.ConsumerRecords;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.api.serialization.Deserializer;
import io.fjord.api.serialization.SerializationException;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.consumer.FjordConsumer;
import io.fjord.client.consumer.OffsetAndTimestamp;
import io.fjord.client.consumer.RecordDeserializationException;
import io.fjord.client.consumer.WakeupException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Fjord's consumer must do with manually assigned partitions against any Kafka-compatible
 * broker: read what Kafka's producer wrote (every codec, keys, headers, nulls) record for record,
 * seek, report positions and offsets by time, pause, wake up, and name the partition and offset of
 * a record it cannot deserialize. Group membership is {@link GroupContract}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsumerContract {

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

    String bootstrap() {
        return broker.bootstrap();
    }

    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = BrokerFixture.admin(bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes {@code count} records with Kafka's producer: key "k{i % 10}", value "v{i}", timestamp 1e6 + i. */
    void produce(String topic, int partition, int count, String codec) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = BrokerFixture.producer(bootstrap(),
                Map.of("compression.type", codec, "batch.size", 4096))) {
            for (int i = 0; i < count; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, 1_000_000L + i,
                        ("k" + (i % 10)).getBytes(StandardCharsets.UTF_8),
                        i % 17 == 5 ? null : ("v" + i).getBytes(StandardCharsets.UTF_8));
                if (i % 4 == 0) {
                    record.headers().add("h", ("hv" + i).getBytes(StandardCharsets.UTF_8));
                }
                producer.send(record);
            }
            producer.flush();
        }
    }

    Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap());
        config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        config.put("value.deserializer", "string");
        config.put("auto.offset.reset", "earliest");
        return config;
    }

    static <K, V> List<ConsumerRecord<K, V>> pollUntil(FjordConsumer<K, V> consumer, int count, long timeoutMs) {
        List<ConsumerRecord<K, V>> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (out.size() < count && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
                out.add(record);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void readsWhatKafkasProducerWroteRecordForRecord(String codec) throws Exception {
        String topic = "read-" + codec;
        createTopic(topic, 1);
        int count = 3_000;
        produce(topic, 0, count, codec);
        Map<String, Object> config = consumerConfig();
        config.put("max.poll.records", 123);
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (records.size() < count && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(200));
                assertTrue(polled.count() <= 123, "max.poll.records is honoured, got " + polled.count());
                polled.forEach(records::add);
            }
            assertEquals(count, records.size());
            for (int i = 0; i < count; i++) {
                ConsumerRecord<String, String> r = records.get(i);
                assertEquals(i, r.offset());
                assertEquals(1_000_000L + i, r.timestamp());
                assertEquals("k" + (i % 10), r.key());
                assertEquals(i % 17 == 5 ? null : "v" + i, r.value());
                Headers headers = r.headers();
                if (i % 4 == 0) {
                    assertEquals(1, headers.size());
                    assertArrayEquals(("hv" + i).getBytes(StandardCharsets.UTF_8), headers.lastHeader("h").value());
                } else {
                    assertEquals(0, headers.size());
                }
            }
            assertEquals(count, consumer.position(tp));
        }
    }

    @Test
    void seeksPositionsAndOffsetsByTime() throws Exception {
        String topic = "seek";
        createTopic(topic, 2);
        produce(topic, 0, 100, "none");
        produce(topic, 1, 50, "lz4");
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        Map<String, Object> config = consumerConfig();
        config.put("auto.offset.reset", "latest");
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config)) {
            consumer.assign(List.of(p0, p1));
            assertEquals(Map.of(p0, 0L, p1, 0L), consumer.beginningOffsets(List.of(p0, p1)));
            assertEquals(Map.of(p0, 100L, p1, 50L), consumer.endOffsets(List.of(p0, p1)));
            Map<TopicPartition, OffsetAndTimestamp> byTime = consumer.offsetsForTimes(Map.of(p0, 1_000_042L, p1, 9_000_000L));
            assertEquals(42L, byTime.get(p0).offset());
            assertEquals(1_000_042L, byTime.get(p0).timestamp());
            assertNull(byTime.get(p1), "no record that late");
            assertEquals(100L, consumer.position(p0), "latest reset");
            consumer.seek(p0, 90);
            consumer.seekToBeginning(List.of(p1));
            assertEquals(0L, consumer.position(p1));
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 60, 30_000);
            assertEquals(60, records.size());
            assertEquals(10, records.stream().filter(r -> r.partition() == 0).count());
            assertEquals(90L, records.stream().filter(r -> r.partition() == 0).findFirst().orElseThrow().offset());
            consumer.seekToEnd(List.of(p1));
            assertEquals(50L, consumer.position(p1));
        }
    }

    @Test
    void pausedPartitionsAreNotReturnedUntilResumed() throws Exception {
        String topic = "pause";
        createTopic(topic, 2);
        produce(topic, 0, 20, "none");
        produce(topic, 1, 20, "none");
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(consumerConfig())) {
            consumer.assign(List.of(p0, p1));
            consumer.pause(List.of(p1));
            assertEquals(Set.of(p1), consumer.paused());
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 20, 30_000);
            assertEquals(20, records.size());
            // Nothing more comes while p1 is paused.
            assertTrue(consumer.poll(Duration.ofMillis(500)).isEmpty());
            assertTrue(records.stream().allMatch(r -> r.partition() == 0));
            consumer.resume(List.of(p1));
            List<ConsumerRecord<String, String>> resumed = pollUntil(consumer, 20, 30_000);
            assertEquals(20, resumed.size());
            assertTrue(resumed.stream().allMatch(r -> r.partition() == 1));
        }
    }

    @Test
    void wakeupInterruptsALongPoll() throws Exception {
        String topic = "wakeup";
        createTopic(topic, 1);
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(consumerConfig())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            long start = System.nanoTime();
            Thread poller = new Thread(() -> {
                try {
                    consumer.poll(Duration.ofSeconds(60));
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            poller.start();
            BrokerFixture.waitUntil("the poll to be under way", 10_000, () -> System.nanoTime() - start > 300_000_000L);
            consumer.wakeup();
            Throwable thrown = outcome.get(10, TimeUnit.SECONDS);
            assertTrue(thrown instanceof WakeupException, "poll ended with " + thrown);
            poller.join(10_000);
        }
    }

    /** Fails on the value "v7" only. */
    static final class FailingDeserializer implements Deserializer<String> {
        @Override
        public String name() {
            return "failing";
        }

        @Override
        public String deserialize(String topic, byte[] data) {
            String s = data == null ? null : new String(data, StandardCharsets.UTF_8);
            if ("v7".equals(s)) {
                throw new SerializationException("cannot read v7");
            }
            return s;
        }
    }

    @Test
    void aDeserializerThatThrowsReportsThePartitionAndOffset() throws Exception {
        String topic = "bad-record";
        createTopic(topic, 1);
        produce(topic, 0, 20, "none");
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<String, Object> config = consumerConfig();
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config,
                new io.fjord.client.serialization.StringDeserializer(), new FailingDeserializer())) {
            consumer.assign(List.of(tp));
            List<ConsumerRecord<String, String>> before = new ArrayList<>();
            RecordDeserializationException failure = null;
            long deadline = System.currentTimeMillis() + 30_000;
            while (failure == null && System.currentTimeMillis() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(before::add);
                } catch (RecordDeserializationException e) {
                    failure = e;
                }
            }
            assertTrue(failure != null, "the bad record was never reported");
            assertEquals(tp, failure.topicPartition());
            assertEquals(7L, failure.offset());
            assertEquals(7, before.size(), "the records before it were returned");
            assertEquals(7L, consumer.position(tp), "the position stays at the bad record");
            assertThrows(RecordDeserializationException.class, () -> consumer.poll(Duration.ofMillis(200)));
            consumer.seek(tp, 8);
            List<ConsumerRecord<String, String>> after = pollUntil(consumer, 12, 30_000);
            assertEquals(12, after.size());
            assertEquals(8L, after.get(0).offset());
        }
    }

    @Test
    void anOutOfRangePositionIsResetByThePolicy() throws Exception {
        String topic = "out-of-range";
        createTopic(topic, 1);
        produce(topic, 0, 10, "none");
        TopicPartition tp = new TopicPartition(topic, 0);
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(consumerConfig())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 1_000);
            List<ConsumerRecord<String, String>> records = pollUntil(consumer, 10, 30_000);
            assertEquals(10, records.size(), "earliest reset after OFFSET_OUT_OF_RANGE");
            assertEquals(0L, records.get(0).offset());
        }
        Map<String, Object> none = consumerConfig();
        none.put("auto.offset.reset", "none");
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(none)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 1_000);
            io.fjord.client.consumer.NoOffsetForPartitionException e = assertThrows(
                    io.fjord.client.consumer.NoOffsetForPartitionException.class, () -> pollUntil(consumer, 1, 30_000));
            assertEquals(Set.of(tp), e.partitions());
        }
    }

    @Test
    void aConsumerOfAThousandPartitionsSendsOneFullFetchThenIncrementalOnes() throws Exception {
        String topic = "thousand";
        createTopic(topic, 1_000);
        produce(topic, 7, 10, "none");
        Map<String, Object> config = consumerConfig();
        config.put("fetch.max.wait.ms", "20");
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < 1_000; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            assertEquals(10, pollUntil(consumer, 10, 60_000).size());
            BrokerFixture.waitUntil("twenty incremental fetches", 60_000, () -> {
                consumer.poll(Duration.ofMillis(50));
                return consumer.metrics().get("fetch-session-incremental-total") >= 20;
            });
            assertEquals(1.0, consumer.metrics().get("fetch-session-full-total"), "one full fetch, at the start");
        }
    }

    @Test
    void manualCommitsWithoutGroupMembershipAreReadBack() throws Exception {
        String topic = "manual-commit";
        createTopic(topic, 1);
        produce(topic, 0, 10, "none");
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<String, Object> config = consumerConfig();
        config.put("group.id", "manual-commit-group");
        config.put("enable.auto.commit", "false");
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config)) {
            consumer.assign(List.of(tp));
            assertEquals(10, pollUntil(consumer, 10, 30_000).size());
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(6)));
            assertEquals(6L, consumer.committed(Set.of(tp)).get(tp).offset());
        }
        try (FjordConsumer<String, String> consumer = new FjordConsumer<>(config)) {
            consumer.assign(List.of(tp));
            assertEquals(6L, consumer.position(tp), "a new consumer starts at the committed offset");
        }
    }
}
