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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Fjord's producer against a Fjord broker, read back by Kafka's own consumer. */
class FjordProducerBrokerTest {

    private static final int PARTITIONS = 3;

    @TempDir
    static Path dataDir;
    private static BrokerFixture broker;

    @BeforeAll
    static void start() throws Exception {
        broker = BrokerFixture.start(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
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
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        int count = 2_000;
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        try (FjordProducer<byte[], byte[]> producer = new FjordProducer<>(producerConfig(broker.bootstrap(), codec))) {
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

        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
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
}
