package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's Java consumers in one classic group against the broker: three of them split a
 * six-partition topic, read every record once and commit; the committed offsets survive a
 * restart, and a consumer of the group resumes after them.
 */
class ConsumerGroupTest {

    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final int PARTITIONS = 6;
    private static final int PER_PARTITION = 50;

    @TempDir
    Path dir;

    @Test
    void threeConsumersSplitTheTopicCommitAndResumeAfterRestart() throws Exception {
        try (BrokerFixture broker = BrokerFixture.start(dir); Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    KafkaConsumer<byte[], byte[]> c = broker.consumer(groupConfig("member-" + i));
                    c.subscribe(List.of(TOPIC));
                    consumers.add(c);
                }
                // Poll all three in turn until each owns two partitions and together they own all six.
                long deadline = System.nanoTime() + 90_000_000_000L;
                while (!evenlySplit(consumers)) {
                    assertTrue(System.nanoTime() < deadline, "the group never split the topic evenly");
                    for (KafkaConsumer<byte[], byte[]> c : consumers) {
                        assertEquals(0, c.poll(Duration.ofMillis(100)).count(), "nothing is produced yet");
                    }
                }

                produce(broker, 0);
                Map<Integer, Integer> perPartition = new HashMap<>();
                Set<String> seen = new HashSet<>();
                int total = 0;
                while (total < PARTITIONS * PER_PARTITION) {
                    assertTrue(System.nanoTime() < deadline, "only " + total + " records were consumed");
                    for (KafkaConsumer<byte[], byte[]> c : consumers) {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                            assertTrue(c.assignment().contains(new TopicPartition(TOPIC, r.partition())),
                                    "a record of a partition the consumer does not own");
                            assertTrue(seen.add(new String(r.value(), StandardCharsets.UTF_8)), "a record read twice");
                            perPartition.merge(r.partition(), 1, Integer::sum);
                            total++;
                        }
                    }
                }
                for (int p = 0; p < PARTITIONS; p++) {
                    assertEquals(PER_PARTITION, perPartition.get(p), "records of partition " + p);
                }
                for (KafkaConsumer<byte[], byte[]> c : consumers) {
                    c.commitSync();
                }

                assertCommitted(admin, PER_PARTITION);
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(GROUP))
                        .describedGroups().get(GROUP).get();
                assertEquals(GroupState.STABLE, description.groupState());
                assertEquals(3, description.members().size());
                Set<TopicPartition> described = new HashSet<>();
                description.members().forEach(m -> described.addAll(m.assignment().topicPartitions()));
                assertEquals(allPartitions(), described);
                // ListGroups v5 with a state and a type filter.
                List<GroupListing> stable = new ArrayList<>(admin.listGroups(ListGroupsOptions.forConsumerGroups()
                        .inGroupStates(Set.of(GroupState.STABLE))).all().get());
                assertEquals(1, stable.size());
                assertEquals(GROUP, stable.get(0).groupId());
                assertEquals(Optional.of(GroupType.CLASSIC), stable.get(0).type());
                assertEquals(Optional.of(GroupState.STABLE), stable.get(0).groupState());
                assertTrue(admin.listGroups(ListGroupsOptions.forConsumerGroups()
                        .inGroupStates(Set.of(GroupState.EMPTY))).all().get().isEmpty());
            } finally {
                for (KafkaConsumer<byte[], byte[]> c : consumers) {
                    c.close(Duration.ofSeconds(10));
                }
            }
            assertEquals(GroupState.EMPTY, admin.describeConsumerGroups(List.of(GROUP))
                    .describedGroups().get(GROUP).get().groupState(), "every member left on close");
        }

        try (BrokerFixture broker = BrokerFixture.start(dir); Admin admin = broker.admin()) {
            assertCommitted(admin, PER_PARTITION);
            produce(broker, PER_PARTITION);
            try (KafkaConsumer<byte[], byte[]> c = broker.consumer(groupConfig("after-restart"))) {
                c.subscribe(List.of(TOPIC));
                Set<String> values = new HashSet<>();
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (values.size() < PARTITIONS * PER_PARTITION) {
                    assertTrue(System.nanoTime() < deadline, "only " + values.size() + " new records were consumed");
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        assertTrue(r.offset() >= PER_PARTITION, "a record below the committed offset: " + r.offset());
                        assertTrue(values.add(new String(r.value(), StandardCharsets.UTF_8)), "a record read twice");
                    }
                }
                c.commitSync();
            }
            assertCommitted(admin, 2 * PER_PARTITION);
            // DescribeGroups v6: an unknown group is an error, as with a Kafka 4 broker.
            ExecutionException unknown = assertThrows(ExecutionException.class, () -> admin.describeConsumerGroups(
                    List.of("no-such-group")).describedGroups().get("no-such-group").get());
            assertInstanceOf(GroupIdNotFoundException.class, unknown.getCause());
        }
    }

    private static Map<String, Object> groupConfig(String clientId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        return config;
    }

    private static boolean evenlySplit(List<KafkaConsumer<byte[], byte[]>> consumers) {
        Set<TopicPartition> union = new HashSet<>();
        for (KafkaConsumer<byte[], byte[]> c : consumers) {
            if (c.assignment().size() != PARTITIONS / consumers.size()) {
                return false;
            }
            union.addAll(c.assignment());
        }
        return union.equals(allPartitions());
    }

    private static Set<TopicPartition> allPartitions() {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(new TopicPartition(TOPIC, p));
        }
        return all;
    }

    /** Sends {@link #PER_PARTITION} records to every partition, values unique across calls. */
    private static void produce(BrokerFixture broker, int firstIndex) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of())) {
            for (int p = 0; p < PARTITIONS; p++) {
                for (int i = firstIndex; i < firstIndex + PER_PARTITION; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, null,
                            ("p" + p + "-" + i).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();
        }
    }

    private static void assertCommitted(Admin admin, long expected) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        assertEquals(allPartitions(), committed.keySet());
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            assertEquals(expected, e.getValue().offset(), "committed offset of " + e.getKey());
        }
    }
}
