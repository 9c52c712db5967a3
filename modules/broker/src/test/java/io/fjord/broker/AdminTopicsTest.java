package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka's Admin client creating, listing, describing and deleting topics on a Fjord broker. */
class AdminTopicsTest {

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir);
        admin = fixture.admin();
    }

    @AfterEach
    void stop() throws Exception {
        admin.close();
        fixture.close();
    }

    private static Throwable cause(ExecutionException e) {
        return e.getCause();
    }

    @Test
    void describeReturnsTheTopicIdTheCreateReturnedByNameAndById() throws Exception {
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic("ids", 2, (short) 1)));
        Uuid id = created.topicId("ids").get();
        assertNotEquals(Uuid.ZERO_UUID, id);
        assertEquals(2, created.numPartitions("ids").get());
        assertEquals("producer", created.config("ids").get().get("compression.type").value());
        assertEquals(fixture.broker().metadataStore().image().topic("ids").id(),
                new java.util.UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()));

        TopicDescription byName = admin.describeTopics(List.of("ids")).allTopicNames().get().get("ids");
        assertEquals(id, byName.topicId());
        TopicDescription byId = admin.describeTopics(TopicCollection.ofTopicIds(List.of(id)))
                .allTopicIds().get().get(id);
        assertEquals("ids", byId.name());
        assertEquals(id, byId.topicId());
        assertEquals(2, byId.partitions().size());

        Uuid unknown = new Uuid(7, 7);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> admin.describeTopics(TopicCollection.ofTopicIds(List.of(unknown))).allTopicIds().get());
        assertInstanceOf(UnknownTopicIdException.class, e.getCause());
    }

    @Test
    void createListDescribeDelete() throws Exception {
        admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1), new NewTopic("audit", Optional.empty(),
                Optional.empty()))).all().get();

        assertEquals(Set.of("orders", "audit"), admin.listTopics().names().get());
        TopicDescription orders = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders");
        assertEquals(3, orders.partitions().size());
        for (TopicPartitionInfo p : orders.partitions()) {
            assertEquals(1, p.leader().id());
            assertEquals(fixture.broker().boundPort(), p.leader().port());
            assertEquals(List.of(1), p.replicas().stream().map(Node::id).toList());
            assertEquals(List.of(1), p.isr().stream().map(Node::id).toList());
        }
        // num.partitions (1) when the request leaves the count to the broker.
        assertEquals(1, admin.describeTopics(List.of("audit")).allTopicNames().get().get("audit").partitions().size());
        assertTrue(Files.isDirectory(dir.resolve("orders-2")));

        admin.deleteTopics(List.of("orders")).all().get();
        assertEquals(Set.of("audit"), admin.listTopics().names().get());
        BrokerFixture.waitUntil("the log folders of the deleted topic to go", 30_000,
                () -> !Files.exists(dir.resolve("orders-0")));
    }

    @Test
    void creationErrorsCarryKafkasExceptions() throws Exception {
        admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all().get();

        ExecutionException exists = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("taken", 1, (short) 1))).all().get());
        assertInstanceOf(TopicExistsException.class, cause(exists));

        ExecutionException badName = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all().get());
        assertInstanceOf(InvalidTopicException.class, cause(badName));

        ExecutionException zero = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("zero", 0, (short) 1))).all().get());
        assertInstanceOf(InvalidPartitionsException.class, cause(zero));

        ExecutionException replication = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("three", 1, (short) 3))).all().get());
        assertInstanceOf(InvalidReplicationFactorException.class, cause(replication));

        ExecutionException unknown = assertThrows(ExecutionException.class,
                () -> admin.deleteTopics(List.of("never-created")).all().get());
        assertInstanceOf(UnknownTopicOrPartitionException.class, cause(unknown));

        assertEquals(Set.of("taken"), admin.listTopics().names().get());
    }

    @Test
    void createPartitionsRaisesTheCount() throws Exception {
        admin.createTopics(List.of(new NewTopic("grow", 1, (short) 1))).all().get();
        admin.createPartitions(java.util.Map.of("grow", NewPartitions.increaseTo(4))).all().get();

        assertEquals(4, admin.describeTopics(List.of("grow")).allTopicNames().get().get("grow").partitions().size());
        assertTrue(Files.isDirectory(dir.resolve("grow-3")));
        ExecutionException shrink = assertThrows(ExecutionException.class,
                () -> admin.createPartitions(java.util.Map.of("grow", NewPartitions.increaseTo(2))).all().get());
        assertInstanceOf(InvalidPartitionsException.class, cause(shrink));
    }

    @Test
    void describeClusterNamesThisNodeAsBrokerAndController() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        List<Node> nodes = List.copyOf(cluster.nodes().get());
        assertEquals(1, nodes.size());
        assertEquals(1, nodes.get(0).id());
        assertEquals("127.0.0.1", nodes.get(0).host());
        assertEquals(fixture.broker().boundPort(), nodes.get(0).port());
        assertEquals(1, cluster.controller().get().id());
        String clusterId = cluster.clusterId().get();
        assertNotNull(clusterId);
        assertEquals(22, clusterId.length());
    }

    @Test
    void internalTopicsAreHiddenUnlessAsked() throws Exception {
        fixture.broker().metadataStore().consumerOffsetsTopic();
        assertFalse(admin.listTopics().names().get().contains("__consumer_offsets"));
        assertTrue(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get()
                .contains("__consumer_offsets"));
    }

    @Test
    void aTopicRecreatedAtOnceStartsEmpty() throws Exception {
        admin.createTopics(List.of(new NewTopic("again", 1, (short) 1))).all().get();
        try (var producer = fixture.producer(java.util.Map.of())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("again", new byte[] {1})).get();
            admin.deleteTopics(List.of("again")).all().get();
            admin.createTopics(List.of(new NewTopic("again", 1, (short) 1))).all().get();
            assertEquals(0L, fixture.broker().replicaManager().partition(new io.fjord.api.TopicPartition("again", 0))
                    .logEndOffset(), "the new topic does not inherit the old log");
        }
    }
}
