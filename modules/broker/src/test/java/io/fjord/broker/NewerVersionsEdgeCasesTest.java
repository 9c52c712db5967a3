package io.fjord.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.common.errors.Errors;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the newer versions answer where Kafka's clients do not go by themselves, sent with Kafka's
 * own request classes: DescribeTopicPartitions with a cursor outside the requested topics and with
 * a limit that splits a topic; DeleteTopics v6 naming a topic by name and id at once;
 * DescribeCluster v1 asked for the controllers' endpoints; FindCoordinator v4 for several groups and
 * a transaction.
 */
class NewerVersionsEdgeCasesTest {

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private KafkaWire wire;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir);
        try (Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic("a", 3, (short) 1), new NewTopic("b", 2, (short) 1))).all().get();
        }
        wire = new KafkaWire(fixture.broker().boundPort());
    }

    @AfterEach
    void stop() throws Exception {
        wire.close();
        fixture.close();
    }

    private DescribeTopicPartitionsResponseData describe(DescribeTopicPartitionsRequestData request) throws Exception {
        return ((DescribeTopicPartitionsResponse) wire.call(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (short) 0, request)).data();
    }

    @Test
    void describeTopicPartitionsPagesThroughTopicsAndRefusesAForeignCursor() throws Exception {
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(2);
        request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName("b"));
        request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName("a"));
        request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName("missing"));
        DescribeTopicPartitionsResponseData first = describe(request);
        assertEquals(List.of("a"), first.topics().stream().map(t -> t.name()).toList(), "name order, two partitions");
        assertEquals(2, first.topics().iterator().next().partitions().size());
        assertEquals("a", first.nextCursor().topicName());
        assertEquals(2, first.nextCursor().partitionIndex());

        DescribeTopicPartitionsResponseData second = describe(request.duplicate()
                .setCursor(new DescribeTopicPartitionsRequestData.Cursor().setTopicName("a").setPartitionIndex(2)));
        assertEquals(List.of("a", "b"), second.topics().stream().map(t -> t.name()).toList());
        assertEquals(List.of(2), second.topics().find("a").partitions().stream().map(p -> p.partitionIndex()).toList());
        assertEquals("b", second.nextCursor().topicName());
        assertEquals(1, second.nextCursor().partitionIndex());

        DescribeTopicPartitionsResponseData third = describe(request.duplicate()
                .setCursor(new DescribeTopicPartitionsRequestData.Cursor().setTopicName("b").setPartitionIndex(1)));
        assertEquals(List.of("b", "missing"), third.topics().stream().map(t -> t.name()).toList());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), third.topics().find("missing").errorCode());
        assertNull(third.nextCursor(), "nothing more");

        DescribeTopicPartitionsResponseData foreign = describe(request.duplicate()
                .setCursor(new DescribeTopicPartitionsRequestData.Cursor().setTopicName("zzz").setPartitionIndex(0)));
        foreign.topics().forEach(t -> assertEquals(Errors.INVALID_REQUEST.code(), t.errorCode(), t.name()));
        assertEquals(3, foreign.topics().size());
    }

    @Test
    void deleteTopicsRefusesAnEntryNamingBothNameAndId() throws Exception {
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(10_000);
        request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("a").setTopicId(Uuid.randomUuid()));
        request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("b"));
        DeleteTopicsResponseData response = ((DeleteTopicsResponse) wire.call(ApiKeys.DELETE_TOPICS, (short) 6, request)).data();
        assertEquals(Errors.INVALID_REQUEST.code(), response.responses().find("a").errorCode());
        DeleteTopicsResponseData.DeletableTopicResult b = response.responses().find("b");
        assertEquals(Errors.NONE.code(), b.errorCode());
        assertEquals(fixture.broker().metadataStore().image().topic("a") != null, true, "a is still there");
        assertEquals(false, b.topicId().equals(Uuid.ZERO_UUID), "a delete by name answers the id too");
    }

    @Test
    void describeClusterAnswersOnlyForTheBrokersEndpoints() throws Exception {
        DescribeClusterResponseData controllers = ((DescribeClusterResponse) wire.call(ApiKeys.DESCRIBE_CLUSTER, (short) 1,
                new DescribeClusterRequestData().setEndpointType((byte) 2))).data();
        assertEquals(Errors.UNSUPPORTED_ENDPOINT_TYPE.code(), controllers.errorCode());
        DescribeClusterResponseData brokers = ((DescribeClusterResponse) wire.call(ApiKeys.DESCRIBE_CLUSTER, (short) 2,
                new DescribeClusterRequestData().setEndpointType((byte) 1).setIncludeFencedBrokers(true))).data();
        assertEquals(Errors.NONE.code(), brokers.errorCode());
        assertEquals(1, brokers.brokers().size());
        assertEquals(false, brokers.brokers().iterator().next().isFenced());
        assertEquals(Integer.MIN_VALUE, brokers.clusterAuthorizedOperations(), "not asked for");
    }

    @Test
    void findCoordinatorAnswersEveryKeyOfABatch() throws Exception {
        FindCoordinatorResponseData groups = ((FindCoordinatorResponse) wire.call(ApiKeys.FIND_COORDINATOR, (short) 4,
                new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("g1", "g2")))).data();
        assertEquals(List.of("g1", "g2"), groups.coordinators().stream().map(c -> c.key()).toList());
        for (FindCoordinatorResponseData.Coordinator c : groups.coordinators()) {
            assertEquals(Errors.NONE.code(), c.errorCode(), c.key());
            assertEquals(fixture.broker().config().nodeId(), c.nodeId());
            assertEquals(fixture.broker().boundPort(), c.port());
        }
        FindCoordinatorResponseData transactions = ((FindCoordinatorResponse) wire.call(ApiKeys.FIND_COORDINATOR, (short) 6,
                new FindCoordinatorRequestData().setKeyType((byte) 1).setCoordinatorKeys(List.of("tx")))).data();
        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), transactions.coordinators().get(0).errorCode(),
                "no transaction coordinator here");
    }
}
