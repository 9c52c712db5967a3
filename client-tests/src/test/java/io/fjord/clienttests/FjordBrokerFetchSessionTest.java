package io.fjord.clienttests;

import io.fjord.api.TopicPartition;
import io.fjord.broker.FetchSessionMetrics;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.consumer.FjordConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incremental fetch sessions between Fjord's broker and consumers, seen from the broker's session
 * metrics: a consumer of 1,000 partitions sends one full request and then only incremental ones,
 * Kafka's own consumer uses sessions with Fjord's broker, and with more consumers than session
 * slots the cache stays within its bound while every consumer still reads everything.
 */
class FjordBrokerFetchSessionTest {

    private static final int SLOTS = 3;

    @TempDir
    Path dataDir;
    private BrokerFixture broker;

    /** A broker per test: sessions stay in the cache for two minutes, and each test counts its own. */
    @BeforeEach
    void start() throws Exception {
        broker = BrokerFixture.start(dataDir, Map.of("max.incremental.fetch.session.cache.slots", Integer.toString(SLOTS)));
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
    }

    private void createAndFill(String topic, int partitions, int perPartition) throws Exception {
        try (Admin admin = BrokerFixture.admin(broker.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = BrokerFixture.producer(broker.bootstrap(), Map.of())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, new byte[16]));
                }
            }
            producer.flush();
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrap());
        config.put("key.deserializer", "byte-array");
        config.put("value.deserializer", "byte-array");
        config.put("auto.offset.reset", "earliest");
        config.put("fetch.max.wait.ms", "20");
        return config;
    }

    @Test
    void aConsumerOfAThousandPartitionsSendsFullRequestsOnlyAtStart() throws Exception {
        createAndFill("wide", 1_000, 1);
        FetchSessionMetrics before = broker.broker().fetchSessionMetrics();
        try (FjordConsumer<byte[], byte[]> consumer = new FjordConsumer<>(config())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < 1_000; p++) {
                all.add(new TopicPartition("wide", p));
            }
            consumer.assign(all);
            assertEquals(1_000, ConsumerContract.pollUntil(consumer, 1_000, 60_000).size());
            // Keep fetching a while: every further request is incremental.
            long incrementalBefore = broker.broker().fetchSessionMetrics().incrementalRequests();
            waitUntil("twenty more incremental fetches", 60_000, () -> {
                consumer.poll(Duration.ofMillis(50));
                return broker.broker().fetchSessionMetrics().incrementalRequests() - incrementalBefore >= 20;
            });
            FetchSessionMetrics after = broker.broker().fetchSessionMetrics();
            assertEquals(1, after.fullRequests() - before.fullRequests(), "one full request, at the start: " + after);
            assertTrue(after.partitionsCached() >= 1_000, after.toString());
            assertEquals(1.0, consumer.metrics().get("fetch-session-full-total"));
            assertTrue(consumer.metrics().get("fetch-session-incremental-total") >= 20);
        }
    }

    @Test
    void kafkasConsumerUsesSessionsWithFjordsBroker() throws Exception {
        createAndFill("kafka-sessions", 10, 5);
        FetchSessionMetrics before = broker.broker().fetchSessionMetrics();
        try (KafkaConsumer<byte[], byte[]> consumer = BrokerFixture.consumer(broker.bootstrap(),
                Map.of("fetch.max.wait.ms", 20))) {
            List<org.apache.kafka.common.TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < 10; p++) {
                all.add(new org.apache.kafka.common.TopicPartition("kafka-sessions", p));
            }
            consumer.assign(all);
            int[] read = {0};
            waitUntil("Kafka's consumer to read everything and fetch incrementally", 60_000, () -> {
                read[0] += consumer.poll(Duration.ofMillis(50)).count();
                return read[0] == 50 && broker.broker().fetchSessionMetrics().incrementalRequests()
                        - before.incrementalRequests() >= 10;
            });
        }
        FetchSessionMetrics after = broker.broker().fetchSessionMetrics();
        assertTrue(after.fullRequests() - before.fullRequests() <= 2, "Kafka's consumer fetched incrementally: " + after);
    }

    @Test
    void theCacheBoundHoldsWithMoreConsumersThanSlots() throws Exception {
        createAndFill("crowd", 4, 25);
        List<FjordConsumer<byte[], byte[]>> consumers = new ArrayList<>();
        try {
            int[] read = new int[SLOTS + 3];
            for (int i = 0; i < read.length; i++) {
                FjordConsumer<byte[], byte[]> consumer = new FjordConsumer<>(config());
                List<TopicPartition> all = new ArrayList<>();
                for (int p = 0; p < 4; p++) {
                    all.add(new TopicPartition("crowd", p));
                }
                consumer.assign(all);
                consumers.add(consumer);
            }
            waitUntil("every consumer to read all 100 records", 60_000, () -> {
                boolean done = true;
                for (int i = 0; i < consumers.size(); i++) {
                    read[i] += consumers.get(i).poll(Duration.ofMillis(20)).count();
                    done &= read[i] == 100;
                }
                assertTrue(broker.broker().fetchSessionMetrics().sessions() <= SLOTS, "the cache bound holds");
                return done;
            });
            assertEquals(SLOTS, broker.broker().fetchSessionMetrics().sessions(), "every slot in use");
        } finally {
            consumers.forEach(FjordConsumer::close);
        }
    }
}
