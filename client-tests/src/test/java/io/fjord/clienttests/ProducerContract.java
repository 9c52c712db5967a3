package io.fjord.clienttests;

import io.fjord.api.Headers;
import io.fjord.api.producer.ProducerRecord;
import io.fjord.api.producer.RecordMetadata;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.producer.FjordProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Fjord's producer must do against any Kafka-compatible broker: every codec with keys,
 * headers and null values read back identically by Kafka's own consumer, keyed records on Kafka's
 * partitions, and no duplicate nor gap when connections are cut mid-flight. Each broker reaches
 * the clients through a {@link LoopbackProxy} (it advertises the proxy's port), which cuts
 * connections only when a test asks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProducerContract {

    private static final int PARTITIONS = 3;

    protected LoopbackProxy proxy;

    /** Starts the broker advertising {@code advertisedPort}; returns the port it listens on. */
    protected abstract int startBroker(int advertisedPort) throws Exception;

    protected abstract void stopBroker() throws Exception;

    @BeforeAll
    void start() throws Exception {
        proxy = new LoopbackProxy();
        proxy.forwardTo(startBroker(proxy.port()));
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
        stopBroker();
    }

    @AfterEach
    void stopCutting() {
        proxy.cutConnectionsAfter(Long.MAX_VALUE);
    }

    String bootstrap() {
        return "127.0.0.1:" + proxy.port();
    }

    static Map<String, Object> producerConfig(String bootstrap, String codec) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        config.put("value.serializer", "byte-array");
        config.put("compression.type", codec);
        return config;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCodecWithKeysHeadersAndNullValuesReadsBackIdentically(String codec) throws Exception {
        String topic = "codec-" + codec;
        try (Admin admin = BrokerFixture.admin(bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        int count = 2_000;
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (FjordProducer<byte[], byte[]> producer = new FjordProducer<>(producerConfig(bootstrap(), codec))) {
            for (int i = 0; i < count; i++) {
                byte[] key = i % 3 == 0 ? null : ("key-" + (i % 50)).getBytes(StandardCharsets.UTF_8);
                byte[] value = i % 10 == 7 ? null : ("value-" + i + "-" + "x".repeat(i % 200)).getBytes(StandardCharsets.UTF_8);
                Headers headers = new Headers();
                if (i % 4 == 0) {
                    headers.add("h" + i, ("hv" + i).getBytes(StandardCharsets.UTF_8));
                    headers.add("null-header", null);
                }
                futures.add(producer.send(new ProducerRecord<>(topic, null, 1_000_000L + i, key, value, headers)));
            }
            producer.flush();
        }
        Map<Integer, List<Integer>> sentByPartition = new HashMap<>();
        for (int i = 0; i < count; i++) {
            RecordMetadata metadata = futures.get(i).get(0, TimeUnit.SECONDS);
            byte[] key = i % 3 == 0 ? null : ("key-" + (i % 50)).getBytes(StandardCharsets.UTF_8);
            if (key != null) {
                // The same partition Kafka's producer picks for the key.
                assertEquals(Utils.toPositive(Utils.murmur2(key)) % PARTITIONS, metadata.topicPartition().partition());
            }
            sentByPartition.computeIfAbsent(metadata.topicPartition().partition(), p -> new ArrayList<>()).add(i);
            assertEquals(sentByPartition.get(metadata.topicPartition().partition()).size() - 1, metadata.offset(),
                    "offsets follow the send order within a partition");
        }

        try (KafkaConsumer<byte[], byte[]> consumer = BrokerFixture.consumer(bootstrap(), Map.of())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> read = new HashMap<>();
            int total = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (total < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
                    total++;
                }
            }
            assertEquals(count, total);
            for (Map.Entry<Integer, List<Integer>> e : sentByPartition.entrySet()) {
                List<ConsumerRecord<byte[], byte[]>> records = read.get(e.getKey());
                assertEquals(e.getValue().size(), records.size());
                for (int j = 0; j < records.size(); j++) {
                    int i = e.getValue().get(j);
                    ConsumerRecord<byte[], byte[]> record = records.get(j);
                    assertEquals(j, record.offset());
                    assertEquals(1_000_000L + i, record.timestamp());
                    byte[] key = i % 3 == 0 ? null : ("key-" + (i % 50)).getBytes(StandardCharsets.UTF_8);
                    assertArrayEquals(key, record.key());
                    if (i % 10 == 7) {
                        assertNull(record.value());
                    } else {
                        assertArrayEquals(("value-" + i + "-" + "x".repeat(i % 200)).getBytes(StandardCharsets.UTF_8),
                                record.value());
                    }
                    Header[] headers = record.headers().toArray();
                    if (i % 4 == 0) {
                        assertEquals(2, headers.length);
                        assertEquals("h" + i, headers[0].key());
                        assertArrayEquals(("hv" + i).getBytes(StandardCharsets.UTF_8), headers[0].value());
                        assertEquals("null-header", headers[1].key());
                        assertNull(headers[1].value());
                    } else {
                        assertEquals(0, headers.length);
                    }
                }
            }
        }
    }

    @Test
    void metricsCountWhatWasSentAndItsRatesLiveInKafkasWindow() throws Exception {
        String topic = "metrics";
        try (Admin admin = BrokerFixture.admin(bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = new HashMap<>(producerConfig(bootstrap(), "lz4"));
        config.put("metrics.sample.window.ms", "500");
        try (FjordProducer<byte[], byte[]> producer = new FjordProducer<>(config)) {
            for (int i = 0; i < 1_000; i++) {
                producer.send(new ProducerRecord<>(topic, "x".repeat(100).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
            Map<String, Double> m = producer.metrics();
            // A batch sent again (a broker still opening a new partition answers with a retriable error)
            // counts again, as in Kafka's producer: every send is either a first send or a retry.
            double retried = m.get("record-retry-total");
            assertEquals(1_000.0 + retried, m.get("record-send-total"), m.toString());
            assertTrue(m.get("record-send-rate") > 0, m.toString());
            assertTrue(m.get("batch-size-avg") > 0 && m.get("batch-size-max") >= m.get("batch-size-avg"), m.toString());
            assertTrue(m.get("compression-rate-avg") > 0 && m.get("compression-rate-avg") < 1, "lz4 shrinks repeated bytes: " + m);
            assertTrue(m.get("request-latency-avg") > 0 && m.get("request-total") > 0, m.toString());
            assertEquals(0.0, m.get("record-error-total"));
            // Two samples of 500 ms: a second later nothing sent is inside the window, the totals stay.
            BrokerFixture.waitUntil(() -> "the sends and their requests to leave the window: " + producer.metrics(),
                    10_000, () -> producer.metrics().get("record-send-rate") == 0.0
                            && producer.metrics().get("request-latency-avg") == 0.0);
            assertEquals(1_000.0 + retried, producer.metrics().get("record-send-total"));
            assertTrue(producer.metrics().get("request-total") > 0);
        }
    }

    @Test
    void connectionsClosedMidFlightLeaveNoDuplicateAndNoGap() throws Exception {
        try (Admin admin = BrokerFixture.admin(bootstrap())) {
            admin.createTopics(List.of(new NewTopic("exactly-once", PARTITIONS, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        proxy.cutConnectionsAfter(8 * 1024);
        int count = 30_000;
        AtomicInteger failures = new AtomicInteger();
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap());
        config.put("key.serializer", "string");
        config.put("value.serializer", "string");
        config.put("linger.ms", 0);
        config.put("batch.size", 2048);
        config.put("retry.backoff.ms", 10);
        config.put("reconnect.backoff.ms", 10);
        try (FjordProducer<String, String> producer = new FjordProducer<>(config)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("exactly-once", Integer.toString(i % 97), Integer.toString(i)),
                        (metadata, exception) -> {
                            if (exception != null) {
                                failures.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        assertEquals(0, failures.get(), "every record must be acknowledged in the end");
        assertTrue(proxy.cuts() > 0, "the proxy never cut a connection");

        proxy.cutConnectionsAfter(Long.MAX_VALUE);
        try (KafkaConsumer<byte[], byte[]> consumer = BrokerFixture.consumer(bootstrap(), Map.of())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition("exactly-once", p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<Integer, List<Integer>> values = new HashMap<>();
            int read = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.computeIfAbsent(record.partition(), p -> new ArrayList<>())
                            .add(Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8)));
                    read++;
                }
            }
            // Nothing more arrives: no duplicate beyond the count either.
            read += consumer.poll(Duration.ofMillis(500)).count();
            assertEquals(count, read, "records in the log");
            boolean[] seen = new boolean[count];
            for (List<Integer> partition : values.values()) {
                for (int j = 1; j < partition.size(); j++) {
                    assertTrue(partition.get(j) > partition.get(j - 1),
                            "out of order: " + partition.get(j - 1) + " before " + partition.get(j));
                }
                for (int value : partition) {
                    assertTrue(!seen[value], "duplicate " + value);
                    seen[value] = true;
                }
            }
        }
    }
}
