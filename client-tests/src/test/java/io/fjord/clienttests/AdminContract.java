package io.fjord.clienttests;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.api.producer.ProducerRecord;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.admin.AlterConfigOp;
import io.fjord.client.admin.ConfigEntry;
import io.fjord.client.admin.ConfigResource;
import io.fjord.client.admin.FjordAdmin;
import io.fjord.client.admin.GroupListing;
import io.fjord.client.admin.NewTopic;
import io.fjord.client.admin.OffsetSpec;
import io.fjord.client.admin.TopicDescription;
import io.fjord.client.producer.FjordProducer;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Fjord's admin client must do against any Kafka-compatible broker; each error case is also
 * sent by Kafka's admin client to the same broker, and both must report the same Kafka error code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdminContract {

    FjordAdmin admin;
    Admin kafka;
    private int port;

    /** Starts the broker; returns its port. */
    protected abstract int startBroker() throws Exception;

    protected abstract void stopBroker() throws Exception;

    @BeforeAll
    void start() throws Exception {
        port = startBroker();
        admin = new FjordAdmin(Map.of("bootstrap.servers", bootstrap()));
        kafka = BrokerFixture.admin(bootstrap());
    }

    @AfterAll
    void stop() throws Exception {
        kafka.close();
        admin.close();
        stopBroker();
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    static Errors fjordError(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof ApiException, String.valueOf(e.getCause()));
        return ((ApiException) e.getCause()).error();
    }

    static Errors kafkaError(KafkaFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        return Errors.forCode(org.apache.kafka.common.protocol.Errors.forException(e.getCause()).code());
    }

    static void assertSameError(Errors expected, CompletableFuture<?> fjord, KafkaFuture<?> kafkaFuture) {
        assertEquals(expected, fjordError(fjord), "Fjord's admin");
        assertEquals(expected, kafkaError(kafkaFuture), "Kafka's admin");
    }

    static org.apache.kafka.clients.admin.NewTopic kafkaTopic(String name, int partitions) {
        return new org.apache.kafka.clients.admin.NewTopic(name, partitions, (short) 1);
    }

    @Test
    void topicsAreCreatedListedDescribedGrownAndDeleted() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("life", 2, (short) 1, Map.of("retention.ms", "3600000"))))
                .get("life"));
        assertTrue(get(admin.listTopics(false)).contains("life"));
        BrokerFixture.waitUntil("the topic's leaders", 30_000, () -> admin.describeTopics(List.of("life")).get("life")
                .join().partitions().stream().allMatch(p -> p.leader().isPresent()));
        TopicDescription description = get(admin.describeTopics(List.of("life")).get("life"));
        assertEquals(2, description.partitions().size());
        assertEquals(1, description.partitions().get(0).leader().orElseThrow().id());
        org.apache.kafka.common.Uuid kafkaId = kafka.describeTopics(List.of("life")).allTopicNames().get().get("life").topicId();
        assertEquals(new java.util.UUID(kafkaId.getMostSignificantBits(), kafkaId.getLeastSignificantBits()),
                description.topicId());

        get(admin.createPartitions(Map.of("life", 4)).get("life"));
        // A Kafka broker learns of new partitions from its controller shortly after answering.
        BrokerFixture.waitUntil("four partitions", 30_000,
                () -> admin.describeTopics(List.of("life")).get("life").join().partitions().size() == 4);

        get(admin.deleteTopics(List.of("life")).get("life"));
        BrokerFixture.waitUntil("topic deleted", 30_000, () -> !admin.listTopics(false).join().contains("life"));
    }

    @Test
    void topicErrorsMatchKafkasAdmin() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("dup", 1, (short) 1))).get("dup"));
        assertSameError(Errors.TOPIC_ALREADY_EXISTS, admin.createTopics(List.of(new NewTopic("dup", 1, (short) 1))).get("dup"),
                kafka.createTopics(List.of(kafkaTopic("dup", 1))).values().get("dup"));
        assertSameError(Errors.INVALID_TOPIC_EXCEPTION,
                admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).get("bad/name"),
                kafka.createTopics(List.of(kafkaTopic("bad/name", 1))).values().get("bad/name"));
        assertSameError(Errors.INVALID_CONFIG,
                admin.createTopics(List.of(new NewTopic("cfg", 1, (short) 1, Map.of("retention.ms", "soon")))).get("cfg"),
                kafka.createTopics(List.of(kafkaTopic("cfg", 1).configs(Map.of("retention.ms", "soon")))).values().get("cfg"));
        assertSameError(Errors.UNKNOWN_TOPIC_OR_PARTITION, admin.deleteTopics(List.of("nope")).get("nope"),
                kafka.deleteTopics(List.of("nope")).topicNameValues().get("nope"));
        assertSameError(Errors.UNKNOWN_TOPIC_OR_PARTITION, admin.describeTopics(List.of("nope")).get("nope"),
                kafka.describeTopics(List.of("nope")).topicNameValues().get("nope"));
        assertSameError(Errors.INVALID_PARTITIONS, admin.createPartitions(Map.of("dup", 1)).get("dup"),
                kafka.createPartitions(Map.of("dup", org.apache.kafka.clients.admin.NewPartitions.increaseTo(1)))
                        .values().get("dup"));
    }

    @Test
    void configsAreDescribedAndAlteredIncrementallyAndWhole() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("conf", 1, (short) 1))).get("conf"));
        ConfigResource resource = ConfigResource.topic("conf");
        get(admin.incrementalAlterConfigs(Map.of(resource,
                List.of(new AlterConfigOp("retention.ms", "1234567", AlterConfigOp.OpType.SET)))).get(resource));
        ConfigEntry retention = value(get(admin.describeConfigs(List.of(resource)).get(resource)), "retention.ms");
        assertEquals("1234567", retention.value());
        assertFalse(retention.isDefault());
        assertEquals("1234567", kafka.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "conf"))).all().get().values().iterator().next()
                .get("retention.ms").value());

        // A whole alter replaces every override: retention.ms goes back to its default.
        get(admin.alterConfigs(Map.of(resource, Map.of("cleanup.policy", "compact"))).get(resource));
        List<ConfigEntry> after = get(admin.describeConfigs(List.of(resource)).get(resource));
        assertEquals("compact", value(after, "cleanup.policy").value());
        assertTrue(value(after, "retention.ms").isDefault());

        org.apache.kafka.common.config.ConfigResource kafkaResource = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "conf");
        assertSameError(Errors.INVALID_CONFIG, admin.incrementalAlterConfigs(Map.of(resource,
                        List.of(new AlterConfigOp("retention.ms", "never", AlterConfigOp.OpType.SET)))).get(resource),
                kafka.incrementalAlterConfigs(Map.of(kafkaResource, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                        new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", "never"),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).values().get(kafkaResource));
        ConfigResource missing = ConfigResource.topic("no-such-topic");
        org.apache.kafka.common.config.ConfigResource kafkaMissing = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "no-such-topic");
        assertSameError(Errors.UNKNOWN_TOPIC_OR_PARTITION, admin.describeConfigs(List.of(missing)).get(missing),
                kafka.describeConfigs(List.of(kafkaMissing)).values().get(kafkaMissing));
    }

    private static ConfigEntry value(Collection<ConfigEntry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void offsetsAreListedAndRecordsDeleted() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("records", 1, (short) 1))).get("records"));
        try (FjordProducer<String, String> producer = new FjordProducer<>(Map.of("bootstrap.servers", bootstrap(),
                "key.serializer", "string", "value.serializer", "string"))) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("records", "v" + i));
            }
            producer.flush();
        }
        TopicPartition tp = new TopicPartition("records", 0);
        assertEquals(10, get(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).get(tp)).offset());
        assertEquals(0, get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).get(tp)).offset());
        assertEquals(5, get(admin.deleteRecords(Map.of(tp, 5L)).get(tp)));
        assertEquals(5, get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).get(tp)).offset());

        TopicPartition unknown = new TopicPartition("no-such-topic", 0);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, fjordError(admin.listOffsets(Map.of(unknown, OffsetSpec.latest()))
                .get(unknown)));
        org.apache.kafka.common.TopicPartition kafkaTp = new org.apache.kafka.common.TopicPartition("records", 0);
        assertSameError(Errors.OFFSET_OUT_OF_RANGE, admin.deleteRecords(Map.of(tp, 99L)).get(tp),
                kafka.deleteRecords(Map.of(kafkaTp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(99)))
                        .lowWatermarks().get(kafkaTp));
    }

    @Test
    void theClusterIsDescribedAsKafkasAdminSeesIt() throws Exception {
        var cluster = get(admin.describeCluster());
        assertEquals(kafka.describeCluster().clusterId().get(), cluster.clusterId());
        assertEquals(1, cluster.nodes().size());
        assertEquals(port, cluster.nodes().get(0).port());
        assertEquals(1, cluster.controller().orElseThrow().id());
    }

    @Test
    void groupOffsetsAreAlteredListedDeletedAndTheGroupDeleted() throws Exception {
        get(admin.createTopics(List.of(new NewTopic("grouped", 2, (short) 1))).get("grouped"));
        TopicPartition p0 = new TopicPartition("grouped", 0);
        TopicPartition p1 = new TopicPartition("grouped", 1);
        Map<TopicPartition, Errors> committed = get(admin.alterGroupOffsets("g1",
                Map.of(p0, new OffsetAndMetadata(3), p1, new OffsetAndMetadata(7))));
        assertEquals(Map.of(p0, Errors.NONE, p1, Errors.NONE), committed);
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listGroupOffsets("g1"));
        assertEquals(3, offsets.get(p0).offset());
        assertEquals(7, offsets.get(p1).offset());
        assertEquals(offsets.get(p1).offset(), kafka.listConsumerGroupOffsets("g1").partitionsToOffsetAndMetadata().get()
                .get(new org.apache.kafka.common.TopicPartition("grouped", 1)).offset());

        List<GroupListing> groups = get(admin.listGroups());
        assertTrue(groups.stream().anyMatch(g -> g.groupId().equals("g1")), groups.toString());
        assertEquals("Empty", get(admin.describeGroups(List.of("g1")).get("g1")).state());

        assertEquals(Map.of(p0, Errors.NONE), get(admin.deleteGroupOffsets("g1", Set.of(p0))));
        assertFalse(get(admin.listGroupOffsets("g1")).containsKey(p0));

        get(admin.deleteGroups(List.of("g1")).get("g1"));
        assertSameError(Errors.GROUP_ID_NOT_FOUND, admin.deleteGroups(List.of("g1")).get("g1"),
                kafka.deleteConsumerGroups(List.of("g1")).deletedGroups().get("g1"));
    }
}
