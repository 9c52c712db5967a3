package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.protocol.message.ApiKeys;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API versions added to serve Kafka 4's admin client as Kafka does, each through the call that
 * uses it: authorized operations (Metadata, DescribeTopicPartitions, DescribeCluster,
 * DescribeGroups), DeleteTopics by id (v6), batched FindCoordinator (v4+) and OffsetFetch (v8+),
 * ListOffsets up to v10 (max timestamp, earliest local, latest tiered), and IncrementalAlterConfigs
 * APPEND on the effective value.
 */
class AdminNewerVersionsTest {

    /** With no authorizer, every operation each resource type supports, as Kafka answers. */
    private static final Set<AclOperation> TOPIC_OPERATIONS = Set.of(AclOperation.READ, AclOperation.WRITE,
            AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final Set<AclOperation> CLUSTER_OPERATIONS = Set.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER,
            AclOperation.DESCRIBE);
    private static final Set<AclOperation> GROUP_OPERATIONS = Set.of(AclOperation.READ, AclOperation.DESCRIBE,
            AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir, Map.of("offsets.topic.num.partitions", "3"));
        admin = fixture.admin();
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        fixture.close();
    }

    private long handled(ApiKeys api) {
        return fixture.broker().requestMetrics().api(api).handleTime().count();
    }

    @Test
    void authorizedOperationsAreEverySupportedOneWhenAskedForAndNoneOtherwise() throws Exception {
        admin.createTopics(List.of(new NewTopic("ops", 2, (short) 1))).all().get();
        TopicDescription asked = admin.describeTopics(List.of("ops"),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get().get("ops");
        assertEquals(TOPIC_OPERATIONS, asked.authorizedOperations());
        TopicDescription notAsked = admin.describeTopics(List.of("ops")).allTopicNames().get().get("ops");
        assertEquals(2, notAsked.partitions().size());
        assertTrue(handled(ApiKeys.DESCRIBE_TOPIC_PARTITIONS) >= 2, "the admin client describes topics with it");

        assertEquals(CLUSTER_OPERATIONS, admin.describeCluster(new DescribeClusterOptions()
                .includeAuthorizedOperations(true)).authorizedOperations().get());
        assertNull(admin.describeCluster().authorizedOperations().get());
        assertTrue(handled(ApiKeys.DESCRIBE_CLUSTER) >= 2);

        commit("ops-group", new TopicPartition("ops", 0), 1);
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("ops-group"),
                new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all().get().get("ops-group");
        assertEquals(GROUP_OPERATIONS, group.authorizedOperations());
    }

    @Test
    void topicsAreDeletedByIdAndAnUnknownIdIsUnknownTopicId() throws Exception {
        admin.createTopics(List.of(new NewTopic("by-id", 1, (short) 1))).all().get();
        Uuid id = admin.describeTopics(List.of("by-id")).allTopicNames().get().get("by-id").topicId();
        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get();
        BrokerFixture.waitUntil("the topic is gone", 10_000, () -> {
            try {
                return !admin.listTopics().names().get().contains("by-id");
            } catch (Exception e) {
                return false;
            }
        });
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(Uuid.randomUuid()))).all().get());
        assertInstanceOf(UnknownTopicIdException.class, e.getCause());
    }

    private void commit(String group, TopicPartition tp, long offset) throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(offset))).all().get();
    }

    @Test
    void offsetsOfSeveralGroupsAreFetchedInOneBatchedRequest() throws Exception {
        admin.createTopics(List.of(new NewTopic("batched", 2, (short) 1))).all().get();
        commit("first", new TopicPartition("batched", 0), 7);
        commit("second", new TopicPartition("batched", 1), 9);
        long findsBefore = handled(ApiKeys.FIND_COORDINATOR);
        long fetchesBefore = handled(ApiKeys.OFFSET_FETCH);
        Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = admin.listConsumerGroupOffsets(Map.of(
                "first", new ListConsumerGroupOffsetsSpec(), "second", new ListConsumerGroupOffsetsSpec()))
                .all().get();
        assertEquals(7, offsets.get("first").get(new TopicPartition("batched", 0)).offset());
        assertEquals(9, offsets.get("second").get(new TopicPartition("batched", 1)).offset());
        assertEquals(1, handled(ApiKeys.FIND_COORDINATOR) - findsBefore, "one FindCoordinator for both groups");
        assertEquals(1, handled(ApiKeys.OFFSET_FETCH) - fetchesBefore, "one OffsetFetch for both groups");

        Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(List.of("first", "second")).all().get();
        assertEquals(Set.of("first", "second"), groups.keySet());
        assertTrue(groups.values().stream().allMatch(g -> g.members().isEmpty()));
    }

    @Test
    void listOffsetsAnswersMaxTimestampEarliestLocalAndLatestTiered() throws Exception {
        admin.createTopics(List.of(new NewTopic("stamped", 1, (short) 1))).all().get();
        TopicPartition tp = new TopicPartition("stamped", 0);
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            for (long ts : new long[] {100, 900, 300, 900}) {
                producer.send(new ProducerRecord<>("stamped", 0, ts, null, new byte[] {1})).get();
            }
        }
        admin.deleteRecords(Map.of(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(1))).all().get();
        ListOffsetsResult.ListOffsetsResultInfo max = admin.listOffsets(Map.of(tp, OffsetSpec.maxTimestamp()))
                .partitionResult(tp).get();
        assertEquals(1, max.offset());
        assertEquals(900, max.timestamp());
        assertEquals(1, admin.listOffsets(Map.of(tp, OffsetSpec.earliestLocal())).partitionResult(tp).get().offset());
        assertEquals(1, admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset());
        assertEquals(4, admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset());
        assertEquals(-1, admin.listOffsets(Map.of(tp, OffsetSpec.latestTiered())).partitionResult(tp).get().offset(),
                "nothing is tiered");
        assertFalse(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().leaderEpoch().isEmpty(),
                "the leader epoch comes with the offset");
    }

    @Test
    void appendToAListConfigStartsFromItsEffectiveValue() throws Exception {
        admin.createTopics(List.of(new NewTopic("appended", 1, (short) 1))).all().get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "appended");
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all().get();
        Collection<ConfigEntry> entries = admin.describeConfigs(List.of(topic)).all().get().get(topic).entries();
        assertEquals("delete,compact", entries.stream().filter(e -> e.name().equals("cleanup.policy"))
                .findFirst().orElseThrow().value());
    }
}
