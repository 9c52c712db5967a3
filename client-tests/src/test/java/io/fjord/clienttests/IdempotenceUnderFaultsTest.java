package io.fjord.clienttests;

import io.fjord.api.producer.ProducerRecord;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.producer.FjordProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotent producer through a proxy that cuts its connections mid-response: requests the
 * broker appended but whose answers were lost are retried, and the log must still hold every
 * record exactly once, in send order per partition.
 */
class IdempotenceUnderFaultsTest {

    private static final int PARTITIONS = 3;

    @TempDir
    Path dataDir;

    @Test
    void connectionsClosedMidFlightLeaveNoDuplicateAndNoGap() throws Exception {
        try (LoopbackProxy proxy = new LoopbackProxy()) {
            // Clients learn the proxy's address from metadata, so every request goes through it.
            try (BrokerFixture broker = BrokerFixture.start(dataDir,
                    Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port()))) {
                proxy.forwardTo(broker.broker().boundPort());
                try (Admin admin = broker.admin()) {
                    admin.createTopics(List.of(new NewTopic("exactly-once", PARTITIONS, (short) 1))).all()
                            .get(30, TimeUnit.SECONDS);
                }
                proxy.cutConnectionsAfter(8 * 1024);
                int count = 30_000;
                AtomicInteger failures = new AtomicInteger();
                Map<String, Object> config = new HashMap<>();
                config.put("bootstrap.servers", "127.0.0.1:" + proxy.port());
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
                try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
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
    }
}
