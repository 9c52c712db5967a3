package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a clean shutdown keeps: topics with their ids and configs, every acknowledged record, producer ids. */
class RestartTest {

    @TempDir
    Path dir;

    @Test
    void cleanRestartKeepsTopicsConfigsAndData() throws Exception {
        String clusterId;
        try (BrokerFixture first = BrokerFixture.start(dir); Admin admin = first.admin()) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1)
                    .configs(Map.of("retention.ms", "86400000")))).all().get();
            clusterId = admin.describeCluster().clusterId().get();
            try (KafkaProducer<byte[], byte[]> producer = first.producer(Map.of())) {
                for (int i = 0; i < 200; i++) {
                    producer.send(new ProducerRecord<>("kept", i % 2, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
            }
        }
        assertTrue(Files.exists(dir.resolve(io.fjord.log.LogManager.CLEAN_SHUTDOWN_FILE)),
                "a clean shutdown leaves Kafka's marker");

        try (BrokerFixture second = BrokerFixture.start(dir); Admin admin = second.admin()) {
            assertEquals(clusterId, admin.describeCluster().clusterId().get());
            assertEquals(Set.of("kept"), admin.listTopics().names().get());
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "kept");
            ConfigEntry retention = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms");
            assertEquals("86400000", retention.value());

            try (KafkaConsumer<byte[], byte[]> consumer = second.consumer(Map.of())) {
                TopicPartition p0 = new TopicPartition("kept", 0);
                TopicPartition p1 = new TopicPartition("kept", 1);
                consumer.assign(List.of(p0, p1));
                assertEquals(100L, consumer.endOffsets(List.of(p0)).get(p0));
                assertEquals(100L, consumer.endOffsets(List.of(p1)).get(p1));
                List<String> p0Values = new ArrayList<>();
                long deadline = System.nanoTime() + 60_000_000_000L;
                int total = 0;
                while (total < 200 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        total++;
                        if (r.partition() == 0) {
                            p0Values.add(new String(r.value(), StandardCharsets.UTF_8));
                        }
                    }
                }
                assertEquals(200, total);
                assertEquals("v0", p0Values.get(0));
                assertEquals("v198", p0Values.get(99));
            }
            // A new idempotent producer after the restart gets a fresh producer id and appends at the end.
            try (KafkaProducer<byte[], byte[]> producer = second.producer(Map.of())) {
                assertEquals(100L, producer.send(new ProducerRecord<>("kept", 0, null, new byte[1])).get().offset());
            }
        }
    }
}
