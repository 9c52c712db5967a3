package io.fjord.controller;

import io.fjord.api.ConfigException;
import io.fjord.controller.storage.MetaProperties;
import io.fjord.controller.storage.MetadataFile;
import io.fjord.common.errors.Errors;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.OptionalInt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SingleNodeMetadataStoreTest {

    private static final int NODE = 1;

    @TempDir
    Path dir;

    private SingleNodeMetadataStore open(String... overrides) throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put("node.id", Integer.toString(NODE));
        props.put("log.dirs", dir.toString());
        for (int i = 0; i < overrides.length; i += 2) {
            props.put(overrides[i], overrides[i + 1]);
        }
        return SingleNodeMetadataStore.open(ControllerConfig.from(props));
    }

    private static void assertError(Errors error, String message, Executable call) {
        MetadataException e = assertThrows(MetadataException.class, call);
        assertEquals(error, e.error(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    // ---- creation ----------------------------------------------------------------------------

    @Test
    void createdTopicHasIdPartitionsAndThisBrokerAsEveryReplica() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            TopicImage topic = store.createTopic(NewTopic.of("orders", 3, 1), false);
            assertEquals(3, topic.partitionCount());
            assertNotEquals(Uuid.ZERO_UUID.getLeastSignificantBits() | Uuid.ZERO_UUID.getMostSignificantBits(),
                    topic.id().getMostSignificantBits() | topic.id().getLeastSignificantBits());
            for (PartitionImage p : topic.partitions()) {
                assertEquals(NODE, p.leader());
                assertEquals(List.of(NODE), p.replicas());
                assertEquals(List.of(NODE), p.isr());
                assertEquals(0, p.leaderEpoch());
            }
            assertFalse(topic.internal());
            assertEquals(topic, store.image().topic("orders"));
            assertEquals(topic, store.image().topic(topic.id()));
            assertEquals(1, store.image().epoch());
        }
    }

    @Test
    void defaultsComeFromNumPartitionsAndDefaultReplicationFactor() throws IOException {
        try (SingleNodeMetadataStore store = open("num.partitions", "4")) {
            assertEquals(4, store.createTopic(NewTopic.of("a", -1, -1), false).partitionCount());
        }
    }

    @Test
    void invalidNamesAreRefused() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            assertError(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is invalid: '..' is not allowed",
                    () -> store.createTopic(NewTopic.of("..", 1, 1), false));
            assertError(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is invalid: 'a b' contains one or more characters"
                    + " other than ASCII alphanumerics, '.', '_' and '-'", () -> store.createTopic(NewTopic.of("a b", 1, 1), false));
            String longName = "x".repeat(250);
            assertError(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is invalid: the length of '" + longName
                    + "' is longer than the max allowed length 249", () -> store.createTopic(NewTopic.of(longName, 1, 1), false));
            assertError(Errors.INVALID_REQUEST, "Creation of internal topic __cluster_metadata is prohibited.",
                    () -> store.createTopic(NewTopic.of("__cluster_metadata", 1, 1), false));
            assertEquals(0, store.image().topicCount());
        }
    }

    @Test
    void existingAndCollidingNamesAreRefused() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            store.createTopic(NewTopic.of("metrics.cpu", 1, 1), false);
            assertError(Errors.TOPIC_ALREADY_EXISTS, "Topic 'metrics.cpu' already exists.",
                    () -> store.createTopic(NewTopic.of("metrics.cpu", 1, 1), false));
            assertError(Errors.INVALID_TOPIC_EXCEPTION, "Topic 'metrics_cpu' collides with existing topic: metrics.cpu",
                    () -> store.createTopic(NewTopic.of("metrics_cpu", 1, 1), false));
            store.createTopic(NewTopic.of("metrics-cpu", 1, 1), false);
            assertEquals(2, store.image().topicCount());
        }
    }

    @Test
    void partitionAndReplicationCountsAreChecked() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            for (int bad : new int[] {0, -2, Integer.MIN_VALUE}) {
                assertError(Errors.INVALID_PARTITIONS, "Number of partitions was set to an invalid non-positive value.",
                        () -> store.createTopic(NewTopic.of("t", bad, 1), false));
                assertError(Errors.INVALID_REPLICATION_FACTOR,
                        "Replication factor must be larger than 0, or -1 to use the default value.",
                        () -> store.createTopic(NewTopic.of("t", 1, bad), false));
            }
            assertError(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition 3 time(s): The target"
                    + " replication factor of 3 cannot be reached because only 1 broker(s) are registered.",
                    () -> store.createTopic(NewTopic.of("t", 1, 3), false));
            assertError(Errors.INVALID_PARTITIONS, "Unable to create 2147483647 partitions in one operation; the limit is 10000.",
                    () -> store.createTopic(NewTopic.of("t", Integer.MAX_VALUE, 1), false));
            assertEquals(0, store.image().topicCount());
        }
    }

    @Test
    void manualAssignmentsAreChecked() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            Map<Integer, List<Integer>> ok = Map.of(0, List.of(NODE), 1, List.of(NODE));
            assertError(Errors.INVALID_REQUEST, "A manual partition assignment was specified, but numPartitions was not set to -1.",
                    () -> store.createTopic(new NewTopic("t", 2, -1, ok, Map.of()), false));
            assertError(Errors.INVALID_REQUEST, "A manual partition assignment was specified, but replicationFactor was not set to -1.",
                    () -> store.createTopic(new NewTopic("t", -1, 1, ok, Map.of()), false));
            assertError(Errors.INVALID_REPLICA_ASSIGNMENT, "Partitions should be a consecutive 0-based integer sequence,"
                    + " but partition 1 is missing from the manual assignment [0, 2].",
                    () -> store.createTopic(new NewTopic("t", -1, -1, Map.of(0, List.of(NODE), 2, List.of(NODE)), Map.of()), false));
            assertError(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes an empty replica list.",
                    () -> store.createTopic(new NewTopic("t", -1, -1, Map.of(0, List.of()), Map.of()), false));
            assertError(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes the broker 1 more than once.",
                    () -> store.createTopic(new NewTopic("t", -1, -1, Map.of(0, List.of(NODE, NODE)), Map.of()), false));
            assertError(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker 9, but no such broker is registered.",
                    () -> store.createTopic(new NewTopic("t", -1, -1, Map.of(0, List.of(9)), Map.of()), false));
            TopicImage topic = store.createTopic(new NewTopic("t", -1, -1, ok, Map.of()), false);
            assertEquals(2, topic.partitionCount());
        }
    }

    @Test
    void configsAreValidatedOnCreate() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            assertError(Errors.INVALID_CONFIG, "Unknown topic config name: retention.days",
                    () -> store.createTopic(NewTopic.of("t", 1, 1).withConfigs(Map.of("retention.days", "1")), false));
            assertError(Errors.INVALID_CONFIG, "Invalid value -7 for configuration retention.ms: Value must be at least -1",
                    () -> store.createTopic(NewTopic.of("t", 1, 1).withConfigs(Map.of("retention.ms", "-7")), false));
            Map<String, String> nullValue = new HashMap<>();
            nullValue.put("retention.ms", null);
            assertError(Errors.INVALID_CONFIG, "Null value not supported for topic configs: retention.ms",
                    () -> store.createTopic(NewTopic.of("t", 1, 1).withConfigs(nullValue), false));
            TopicImage topic = store.createTopic(NewTopic.of("t", 1, 1).withConfigs(Map.of("retention.ms", "1000")), false);
            assertEquals(Map.of("retention.ms", "1000"), topic.configs());
        }
    }

    @Test
    void validateOnlyChecksEverythingAndChangesNothing() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            MetadataImage before = store.image();
            TopicImage would = store.createTopic(NewTopic.of("t", 2, 1), true);
            assertEquals(2, would.partitionCount());
            assertError(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition 2 time(s): The target"
                    + " replication factor of 2 cannot be reached because only 1 broker(s) are registered.",
                    () -> store.createTopic(NewTopic.of("t", 2, 2), true));
            assertEquals(before, store.image());
        }
        try (SingleNodeMetadataStore reopened = open()) {
            assertEquals(0, reopened.image().topicCount());
        }
    }

    @Test
    void offsetsTopicIsInternalAndCreatedWithOffsetsSettingsEvenWithoutAutoCreation() throws IOException {
        try (SingleNodeMetadataStore store = open("offsets.topic.replication.factor", "1", "offsets.topic.num.partitions", "5",
                "offsets.topic.segment.bytes", "2097152", "auto.create.topics.enable", "false")) {
            assertError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '__consumer_offsets' does not exist and"
                    + " auto.create.topics.enable is false.", () -> store.autoCreateTopic("__consumer_offsets"));
            TopicImage offsets = store.consumerOffsetsTopic();
            assertTrue(offsets.internal());
            assertEquals(5, offsets.partitionCount());
            assertEquals(Map.of("cleanup.policy", "compact", "compression.type", "producer", "segment.bytes", "2097152"),
                    offsets.configs());
            assertEquals(offsets, store.consumerOffsetsTopic());
            assertEquals(offsets, store.autoCreateTopic("__consumer_offsets"), "an existing topic is returned");
        }
    }

    @Test
    void autoCreationMakesTheOffsetsTopicButNoOtherInternalTopic() throws IOException {
        try (SingleNodeMetadataStore store = open("offsets.topic.replication.factor", "1")) {
            assertEquals(50, store.autoCreateTopic("__consumer_offsets").partitionCount());
            assertError(Errors.INVALID_REQUEST, "Internal topic __transaction_state is created by its coordinator,"
                    + " not by auto-creation.", () -> store.autoCreateTopic("__transaction_state"));
        }
    }

    @Test
    void offsetsTopicWithKafkasDefaultReplicationFactorIsRefusedOnOneBroker() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            assertError(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition 3 time(s): The target"
                    + " replication factor of 3 cannot be reached because only 1 broker(s) are registered.",
                    store::consumerOffsetsTopic);
            assertEquals(0, store.image().topicCount());
        }
    }

    @Test
    void autoCreationFollowsTheBrokerSetting() throws IOException {
        try (SingleNodeMetadataStore store = open("num.partitions", "2")) {
            TopicImage topic = store.autoCreateTopic("events");
            assertEquals(2, topic.partitionCount());
            assertEquals(topic, store.autoCreateTopic("events"));
            assertEquals(1, store.image().epoch(), "the second call found the topic");
            assertError(Errors.INVALID_TOPIC_EXCEPTION, "Topic name is invalid: '!' contains one or more characters other"
                    + " than ASCII alphanumerics, '.', '_' and '-'", () -> store.autoCreateTopic("!"));
        }
        try (SingleNodeMetadataStore store = open("auto.create.topics.enable", "false")) {
            assertError(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "Topic 'other' does not exist and auto.create.topics.enable is false.", () -> store.autoCreateTopic("other"));
            assertEquals(store.image().topic("events"), store.autoCreateTopic("events"));
        }
    }

    // ---- deletion, partitions, configs --------------------------------------------------------

    @Test
    void deletionNotifiesListenersAfterCommit() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            List<String> events = new ArrayList<>();
            store.addListener(new MetadataListener() {
                @Override
                public void topicCreated(TopicImage topic) {
                    events.add("created " + topic.name());
                }

                @Override
                public void topicDeleted(TopicImage topic) {
                    assertNull(store.image().topic(topic.name()), "the deletion is visible before listeners hear of it");
                    events.add("deleted " + topic.name() + " " + topic.partitionCount());
                }
            });
            TopicImage a = store.createTopic(NewTopic.of("a", 2, 1), false);
            TopicImage b = store.createTopic(NewTopic.of("b", 1, 1), false);
            assertEquals(a, store.deleteTopic("a"));
            assertEquals(b, store.deleteTopic(b.id()));
            assertEquals(List.of("created a", "created b", "deleted a 2", "deleted b 1"), events);
            assertError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic 'a' does not exist.", () -> store.deleteTopic("a"));
            assertError(Errors.UNKNOWN_TOPIC_ID, "No topic with id " + ClusterIds.toString(b.id()) + ".",
                    () -> store.deleteTopic(b.id()));
            // A name freed by deletion can be used again, with a new id.
            assertNotEquals(a.id(), store.createTopic(NewTopic.of("a", 1, 1), false).id());
        }
    }

    @Test
    void failingListenerDoesNotUndoTheChange() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            store.addListener(new MetadataListener() {
                @Override
                public void topicCreated(TopicImage topic) {
                    throw new IllegalStateException("listener bug");
                }
            });
            store.createTopic(NewTopic.of("a", 1, 1), false);
            assertTrue(store.image().topicsByName().containsKey("a"));
        }
    }

    @Test
    void partitionsOnlyGrow() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            TopicImage t = store.createTopic(NewTopic.of("t", 2, 1), false);
            assertError(Errors.INVALID_PARTITIONS, "The topic t currently has 2 partition(s); 1 would not be an increase.",
                    () -> store.createPartitions("t", 1, null, false));
            assertError(Errors.INVALID_PARTITIONS, "Topic already has 2 partition(s).",
                    () -> store.createPartitions("t", 2, null, false));
            assertError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic 'u' does not exist.",
                    () -> store.createPartitions("u", 3, null, false));
            assertError(Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add 2 additional partition(s), but only 1"
                    + " assignment(s) were specified.", () -> store.createPartitions("t", 4, List.of(List.of(NODE)), false));
            assertEquals(5, store.createPartitions("t", 5, null, true).partitionCount());
            assertEquals(2, store.image().topic("t").partitionCount(), "validateOnly changes nothing");

            List<String> events = new ArrayList<>();
            store.addListener(new MetadataListener() {
                @Override
                public void partitionsCreated(TopicImage before, TopicImage after) {
                    events.add(before.partitionCount() + "->" + after.partitionCount());
                }
            });
            TopicImage grown = store.createPartitions("t", 4, List.of(List.of(NODE), List.of(NODE)), false);
            assertEquals(4, grown.partitionCount());
            assertEquals(t.id(), grown.id());
            assertEquals(t.partitions(), grown.partitions().subList(0, 2));
            assertEquals(3, grown.partitions().get(3).partition());
            assertEquals(List.of("2->4"), events);
        }
    }

    @Test
    void appendAndSubtractStartFromTheBrokersDefault() throws IOException {
        try (SingleNodeMetadataStore store = open("log.cleanup.policy", "compact")) {
            store.createTopic(NewTopic.of("t", 1, 1), false);
            assertEquals(Map.of("cleanup.policy", "compact,delete"), store.incrementalAlterConfigs("t", List.of(
                    new AlterConfigOp(AlterConfigOp.Type.APPEND, "cleanup.policy", "delete")), true));
            assertError(Errors.INVALID_CONFIG, "Invalid value  for configuration cleanup.policy: Empty list not allowed;"
                    + " must be one or more of: compact, delete", () -> store.incrementalAlterConfigs("t", List.of(
                    new AlterConfigOp(AlterConfigOp.Type.SUBTRACT, "cleanup.policy", "compact")), false));
            assertEquals(Map.of(), store.image().topic("t").configs(), "validate-only and refused changes leave it alone");
        }
    }

    @Test
    void alterConfigsReplacesEveryOverride() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            List<String> events = new ArrayList<>();
            store.createTopic(NewTopic.of("t", 1, 1).withConfigs(Map.of("retention.ms", "1000", "segment.ms", "5000")), false);
            store.addListener(new MetadataListener() {
                @Override
                public void configsChanged(TopicImage before, TopicImage after) {
                    events.add(before.configs().get("retention.ms") + "->" + after.configs().get("retention.ms"));
                }
            });
            assertEquals(Map.of("cleanup.policy", "compact"),
                    store.alterConfigs("t", Map.of("cleanup.policy", "compact"), true));
            assertEquals(Map.of("retention.ms", "1000", "segment.ms", "5000"), store.image().topic("t").configs());
            assertEquals(Map.of("cleanup.policy", "compact"), store.alterConfigs("t", Map.of("cleanup.policy", "compact"), false));
            assertEquals(Map.of("cleanup.policy", "compact"), store.image().topic("t").configs());
            assertEquals(List.of("1000->null"), events);
            assertError(Errors.INVALID_CONFIG, "Unknown topic config name: no.such.key",
                    () -> store.alterConfigs("t", Map.of("no.such.key", "1"), false));
            assertError(Errors.INVALID_CONFIG, "Invalid value -5 for configuration segment.ms: Value must be at least 1",
                    () -> store.alterConfigs("t", Map.of("segment.ms", "-5"), false));
            assertError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic 'u' does not exist.",
                    () -> store.alterConfigs("u", Map.of(), false));
            assertEquals(Map.of("cleanup.policy", "compact"), store.image().topic("t").configs());
        }
    }

    @Test
    void incrementalAlterConfigs() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            store.createTopic(NewTopic.of("t", 1, 1).withConfigs(Map.of("retention.ms", "1000")), false);
            // APPEND works on the effective value, the default "delete" included, as in Kafka.
            assertEquals(Map.of("retention.ms", "2000", "cleanup.policy", "delete,compact"), store.incrementalAlterConfigs("t", List.of(
                    new AlterConfigOp(AlterConfigOp.Type.SET, "retention.ms", "2000"),
                    new AlterConfigOp(AlterConfigOp.Type.APPEND, "cleanup.policy", "compact")), false));
            assertEquals(Map.of("retention.ms", "2000", "cleanup.policy", "delete,compact"), store.incrementalAlterConfigs("t",
                    List.of(new AlterConfigOp(AlterConfigOp.Type.APPEND, "cleanup.policy", "delete,compact")), false));
            assertEquals(Map.of("cleanup.policy", "delete"), store.incrementalAlterConfigs("t", List.of(
                    new AlterConfigOp(AlterConfigOp.Type.SUBTRACT, "cleanup.policy", "compact"),
                    new AlterConfigOp(AlterConfigOp.Type.DELETE, "retention.ms", null)), false));
            assertEquals(Map.of("cleanup.policy", "delete"), store.image().topic("t").configs());

            assertError(Errors.INVALID_CONFIG, "Can't APPEND to key retention.ms because its type is not LIST.",
                    () -> store.incrementalAlterConfigs("t", List.of(new AlterConfigOp(AlterConfigOp.Type.APPEND, "retention.ms", "1")), false));
            assertError(Errors.INVALID_CONFIG, "Can't SUBTRACT to key segment.ms because its type is not LIST.",
                    () -> store.incrementalAlterConfigs("t", List.of(new AlterConfigOp(AlterConfigOp.Type.SUBTRACT, "segment.ms", "1")), false));
            assertError(Errors.INVALID_CONFIG, "Invalid value  for configuration cleanup.policy: Empty list not allowed;"
                    + " must be one or more of: compact, delete",
                    () -> store.incrementalAlterConfigs("t", List.of(new AlterConfigOp(AlterConfigOp.Type.SUBTRACT, "cleanup.policy", "delete")), false));
            assertError(Errors.INVALID_CONFIG, "Unknown topic config name: bogus",
                    () -> store.incrementalAlterConfigs("t", List.of(new AlterConfigOp(AlterConfigOp.Type.DELETE, "bogus", null)), false));
            assertError(Errors.INVALID_REQUEST, "Error due to duplicate config keys: retention.ms",
                    () -> store.incrementalAlterConfigs("t", List.of(new AlterConfigOp(AlterConfigOp.Type.SET, "retention.ms", "1"),
                            new AlterConfigOp(AlterConfigOp.Type.DELETE, "retention.ms", null)), false));
            assertError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic 'u' does not exist.",
                    () -> store.incrementalAlterConfigs("u", List.of(), false));
            // All or nothing: the valid first op is not applied when the second fails.
            assertThrows(MetadataException.class, () -> store.incrementalAlterConfigs("t", List.of(
                    new AlterConfigOp(AlterConfigOp.Type.SET, "retention.ms", "5"),
                    new AlterConfigOp(AlterConfigOp.Type.SET, "segment.bytes", "1")), false));
            assertEquals(Map.of("cleanup.policy", "delete"), store.image().topic("t").configs());
            // validateOnly answers with the result but keeps the old overrides.
            assertEquals(Map.of("cleanup.policy", "delete", "retention.ms", "5"), store.incrementalAlterConfigs("t",
                    List.of(new AlterConfigOp(AlterConfigOp.Type.SET, "retention.ms", "5")), true));
            assertEquals(Map.of("cleanup.policy", "delete"), store.image().topic("t").configs());
        }
    }

    @Test
    void describeConfigsReportsSources() throws IOException {
        try (SingleNodeMetadataStore store = open("log.retention.hours", "1")) {
            store.createTopic(NewTopic.of("t", 1, 1).withConfigs(Map.of("segment.bytes", "2097152")), false);
            List<ConfigEntry> all = store.describeConfigs("t", null);
            assertEquals(List.copyOf(TopicConfigs.names()), all.stream().map(ConfigEntry::name).toList());
            assertEquals(List.of(
                    List.of("retention.ms", "3600000", ConfigSource.STATIC_BROKER_CONFIG),
                    List.of("segment.bytes", "2097152", ConfigSource.DYNAMIC_TOPIC_CONFIG),
                    List.of("segment.ms", "604800000", ConfigSource.DEFAULT_CONFIG)),
                    store.describeConfigs("t", List.of("segment.ms", "retention.ms", "segment.bytes", "not.a.config"))
                            .stream().map(e -> List.of(e.name(), e.value(), e.source())).toList());
            assertError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic 'u' does not exist.", () -> store.describeConfigs("u", null));
        }
    }

    // ---- persistence ---------------------------------------------------------------------------

    @Test
    void everythingSurvivesARestart() throws IOException {
        MetadataImage before;
        try (SingleNodeMetadataStore store = open()) {
            store.createTopic(NewTopic.of("a", 3, 1).withConfigs(Map.of("retention.ms", "1000")), false);
            store.createTopic(NewTopic.of("b", 1, 1), false);
            store.createTopic(NewTopic.of("c", 1, 1), false);
            store.deleteTopic("c");
            store.createPartitions("b", 2, null, false);
            store.incrementalAlterConfigs("b", List.of(new AlterConfigOp(AlterConfigOp.Type.SET, "cleanup.policy", "compact")), false);
            before = store.image();
        }
        try (SingleNodeMetadataStore store = open()) {
            assertEquals(before, store.image());
            assertEquals(6, store.image().epoch());
            assertEquals(Set.of("a", "b"), store.image().topicsByName().keySet());
            assertEquals(Map.of("retention.ms", "1000"), store.image().topic("a").configs());
            store.createTopic(NewTopic.of("d", 1, 1), false);
            assertEquals(7, store.image().epoch());
        }
    }

    @Test
    void metaPropertiesIsWrittenOnceAndKeepsTheClusterId() throws IOException {
        String clusterId;
        try (SingleNodeMetadataStore store = open()) {
            clusterId = store.clusterId();
            assertEquals(22, clusterId.length());
            assertEquals(Uuid.fromString(clusterId).toString(), clusterId);
            assertEquals(NODE, MetaProperties.read(dir).orElseThrow().nodeId());
        }
        try (SingleNodeMetadataStore store = open()) {
            assertEquals(clusterId, store.clusterId());
        }
    }

    @Test
    void configuredClusterIdIsUsedForANewDir() throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        try (SingleNodeMetadataStore store = open("fjord.cluster.id", clusterId)) {
            assertEquals(clusterId, store.clusterId());
        }
        assertEquals(clusterId, MetaProperties.read(dir).orElseThrow().clusterId());
    }

    @Test
    void anotherNodeIdIsRefused() throws IOException {
        open().close();
        ConfigException e = assertThrows(ConfigException.class, () -> SingleNodeMetadataStore.open(ControllerConfig.from(
                Map.of("node.id", "2", "log.dirs", dir.toString()))));
        assertEquals("Stored node id 1 doesn't match previous node id 2 in " + dir.toAbsolutePath().normalize()
                + ". If you moved your data, make sure your configured node id matches. If you intend to create a new"
                + " node, you should remove all data in your data directories.", e.getMessage());
    }

    @Test
    void anotherClusterIdIsRefused(@TempDir Path second) throws IOException {
        String stored;
        try (SingleNodeMetadataStore store = open()) {
            stored = store.clusterId();
        }
        String other = Uuid.randomUuid().toString();
        ConfigException e = assertThrows(ConfigException.class, () -> open("fjord.cluster.id", other));
        assertTrue(e.getMessage().startsWith("Invalid cluster.id in: " + dir.toAbsolutePath().normalize().resolve("meta.properties")
                + ". Expected " + other), e.getMessage());
        assertTrue(e.getMessage().endsWith("but read " + stored + "."), e.getMessage());

        // Two log dirs formatted for different clusters.
        new MetaProperties(other, NODE, null).write(second);
        e = assertThrows(ConfigException.class, () -> open("log.dirs", dir + "," + second));
        assertTrue(e.getMessage().contains("but read " + other), e.getMessage());
    }

    @Test
    void corruptMetadataFileIsReportedNeverEmptied() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            store.createTopic(NewTopic.of("keep-me", 1, 1), false);
        }
        Path file = MetadataFile.path(dir);
        byte[] good = Files.readAllBytes(file);
        byte[] flipped = good.clone();
        flipped[good.length - 3] ^= 0x10;
        Files.write(file, flipped);
        CorruptMetadataException e = assertThrows(CorruptMetadataException.class, this::open);
        assertTrue(e.getMessage().contains("CRC-32C mismatch"), e.getMessage());
        assertEquals(file.toAbsolutePath().normalize(), e.file().toAbsolutePath().normalize());

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 5));
        e = assertThrows(CorruptMetadataException.class, this::open);
        assertTrue(e.getMessage().contains("torn write"), e.getMessage());

        // The file was left for the operator, not replaced by an empty one.
        assertEquals(good.length - 5, Files.size(file));
        Files.write(file, good);
        try (SingleNodeMetadataStore store = open()) {
            assertTrue(store.image().topicsByName().containsKey("keep-me"));
        }
    }

    @Test
    void missingMetadataFileBesidePartitionDataIsRefused() throws IOException {
        open().close();
        Files.createDirectory(dir.resolve("keep-me-0"));
        Files.delete(MetadataFile.path(dir));
        IOException e = assertThrows(IOException.class, this::open);
        assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    }

    @Test
    void kafkaFormattedDirIsAdopted() throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        Files.writeString(dir.resolve("meta.properties"), "#\n#Sun Nov 22 05:00:00 UTC 2026\nnode.id=1\n"
                + "directory.id=" + Uuid.randomUuid() + "\nversion=1\ncluster.id=" + clusterId + "\n");
        try (SingleNodeMetadataStore store = open()) {
            assertEquals(clusterId, store.clusterId());
            assertEquals(0, store.image().topicCount());
        }
    }

    @Test
    void failedPersistLeavesTheImageUnchanged() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            store.createTopic(NewTopic.of("a", 1, 1), false);
            MetadataImage before = store.image();
            // A directory where the temp file should go makes the write fail.
            Files.createDirectory(dir.resolve(MetadataFile.FILE_NAME + ".tmp"));
            Files.writeString(dir.resolve(MetadataFile.FILE_NAME + ".tmp").resolve("x"), "x");
            MetadataException e = assertThrows(MetadataException.class, () -> store.createTopic(NewTopic.of("b", 1, 1), false));
            assertEquals(Errors.KAFKA_STORAGE_ERROR, e.error());
            assertEquals(before, store.image());
        }
    }

    @Test
    void everyLogDirIsFormattedForTheSameClusterAndNode(@TempDir Path second) throws IOException {
        String clusterId;
        try (SingleNodeMetadataStore store = open()) {
            clusterId = store.clusterId();
        }
        try (SingleNodeMetadataStore store = open("log.dirs", dir + "," + second)) {
            assertEquals(clusterId, store.clusterId());
        }
        MetaProperties added = MetaProperties.read(second).orElseThrow();
        assertEquals(clusterId, added.clusterId());
        assertEquals(NODE, added.nodeId());
        assertNotEquals(MetaProperties.read(dir).orElseThrow().directoryId(), added.directoryId());
        assertFalse(Files.exists(MetadataFile.path(second)), "the topic metadata lives in the metadata log dir only");
    }

    @Test
    void manualAssignmentOfNewPartitionsIsChecked() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            store.createTopic(NewTopic.of("t", 1, 1), false);
            assertError(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes broker 5, but no such"
                    + " broker is registered.", () -> store.createPartitions("t", 2, List.of(List.of(5)), false));
            assertError(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes an empty replica list.",
                    () -> store.createPartitions("t", 2, List.of(List.of()), false));
            assertError(Errors.INVALID_PARTITIONS, "Unable to create 2147483646 partitions in one operation; the limit is 10000.",
                    () -> store.createPartitions("t", Integer.MAX_VALUE, null, false));
            assertEquals(1, store.image().topic("t").partitionCount());
        }
    }

    @Test
    void closedStoreStaysReadableButRefusesChanges() throws IOException {
        SingleNodeMetadataStore store = open();
        store.createTopic(NewTopic.of("a", 1, 1), false);
        store.close();
        assertTrue(store.image().topicsByName().containsKey("a"));
        assertThrows(IllegalStateException.class, () -> store.createTopic(NewTopic.of("b", 1, 1), false));
        assertFalse(store.image().topicsByName().containsKey("b"));
    }

    @Test
    void missingNodeIdOrLogDirsIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ControllerConfig.from(Map.of("log.dirs", dir.toString())));
        assertTrue(e.getMessage().contains("node.id"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> ControllerConfig.from(Map.of("node.id", "1")));
        assertTrue(e.getMessage().contains("log.dirs"), e.getMessage());
        assertThrows(ConfigException.class, () -> ControllerConfig.from(Map.of("node.id", "-1", "log.dirs", dir.toString())));
        assertThrows(ConfigException.class, () -> ControllerConfig.from(Map.of("node.id", "1", "log.dirs", dir.toString(),
                "fjord.cluster.id", "short")));
    }

    // ---- dynamic broker settings -------------------------------------------------------------

    @Test
    void brokerSettingsAreKeptPerBrokerAndClusterWideAcrossRestarts() throws IOException {
        List<String> heard = new ArrayList<>();
        try (SingleNodeMetadataStore store = open("log.retention.hours", "5")) {
            store.addListener(new MetadataListener() {
                @Override
                public void brokerConfigsChanged(OptionalInt brokerId, Map<String, String> before, Map<String, String> after) {
                    heard.add(brokerId + " " + new TreeMap<>(before) + " -> " + new TreeMap<>(after));
                }
            });
            store.createTopic(NewTopic.of("t", 1, 1), false);
            assertEquals(Map.of(), store.brokerConfigs(OptionalInt.empty()));
            long epoch = store.image().epoch();
            store.alterBrokerConfigs(OptionalInt.empty(), Map.of("log.retention.ms", "7000", "log.segment.bytes", "2097152"));
            Map<String, String> removal = new HashMap<>();
            removal.put("log.segment.bytes", null);
            removal.put("log.retention.ms", "9000");
            assertEquals(Map.of("log.retention.ms", "9000"), store.alterBrokerConfigs(OptionalInt.of(NODE), removal));
            assertEquals(Map.of("log.retention.ms", "9000"), store.alterBrokerConfigs(OptionalInt.of(NODE), removal),
                    "removing what is not there changes nothing");
            assertEquals(epoch + 2, store.image().epoch(), "an alteration that changes nothing commits nothing");
            assertEquals(List.of("OptionalInt.empty {} -> {log.retention.ms=7000, log.segment.bytes=2097152}",
                    "OptionalInt[1] {} -> {log.retention.ms=9000}"), heard);
            // The topic's defaults follow: this broker's own setting over the default over server.properties.
            Map<String, ConfigEntry> topic = byName(store.describeConfigs("t", null));
            assertEquals("9000", topic.get("retention.ms").value());
            assertEquals(ConfigSource.DYNAMIC_BROKER_CONFIG, topic.get("retention.ms").source());
            assertEquals(List.of(new ConfigSynonym("log.retention.ms", "9000", ConfigSource.DYNAMIC_BROKER_CONFIG),
                    new ConfigSynonym("log.retention.ms", "7000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                    new ConfigSynonym("log.retention.hours", "5", ConfigSource.STATIC_BROKER_CONFIG),
                    new ConfigSynonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG)),
                    topic.get("retention.ms").synonyms());
            assertEquals("2097152", topic.get("segment.bytes").value());
            assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, topic.get("segment.bytes").source());
        }
        try (SingleNodeMetadataStore reopened = open("log.retention.hours", "5")) {
            assertEquals(Map.of("log.retention.ms", "7000", "log.segment.bytes", "2097152"),
                    reopened.brokerConfigs(OptionalInt.empty()));
            assertEquals(Map.of("log.retention.ms", "9000"), reopened.brokerConfigs(OptionalInt.of(NODE)));
            assertEquals("9000", byName(reopened.describeConfigs("t", null)).get("retention.ms").value());
            assertEquals(1, reopened.image().topicCount(), "topics survive beside the settings");
        }
    }

    @Test
    void anotherBrokersSettingsDoNotChangeThisBrokersTopicDefaults() throws IOException {
        try (SingleNodeMetadataStore store = open()) {
            store.createTopic(NewTopic.of("t", 1, 1), false);
            store.alterBrokerConfigs(OptionalInt.of(NODE + 1), Map.of("log.retention.ms", "1234"));
            assertEquals(Map.of("log.retention.ms", "1234"), store.brokerConfigs(OptionalInt.of(NODE + 1)));
            assertEquals("604800000", byName(store.describeConfigs("t", null)).get("retention.ms").value());
        }
    }

    private static Map<String, ConfigEntry> byName(List<ConfigEntry> entries) {
        Map<String, ConfigEntry> byName = new HashMap<>();
        entries.forEach(e -> byName.put(e.name(), e));
        return byName;
    }
}
