package io.fjord.clienttests;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.client.network.DisconnectException;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;
import io.fjord.client.network.NodeApiVersions;
import io.fjord.client.network.UnsupportedVersionException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.CreateTopicsRequest;
import io.fjord.protocol.message.CreateTopicsResponse;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;
import io.fjord.protocol.message.ProduceRequest;
import io.fjord.protocol.message.ProduceResponse;
import io.fjord.protocol.record.RecordBatchBuilder;
import io.fjord.protocol.types.MemoryRecordSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network client against a real Fjord broker on a loopback port. */
class NetworkClientBrokerTest {

    private static final int NODE = 1;

    @TempDir
    Path dataDir;
    private BrokerFixture broker;
    private NetworkClient client;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerFixture.start(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close(Duration.ofSeconds(5));
        }
        broker.close();
    }

    private NetworkClient client(NetworkClientConfig config) {
        client = new NetworkClient(config);
        client.setNode(NODE, "127.0.0.1", broker.broker().boundPort());
        return client;
    }

    @Test
    void negotiatesVersionsOnConnectAndDecodesTypedResponses() throws Exception {
        client(NetworkClientConfig.defaults("network-test"));
        MetadataResponse metadata = client.send(NODE, new MetadataRequest(), MetadataResponse.class)
                .get(30, TimeUnit.SECONDS);
        assertEquals(1, metadata.brokers().size());
        assertEquals(NODE, metadata.brokers().get(0).nodeId());
        assertEquals(broker.broker().boundPort(), metadata.brokers().get(0).port());

        NodeApiVersions versions = client.apiVersions(NODE).orElseThrow();
        for (ApiKeys api : ApiKeys.values()) {
            if (versions.maxVersion(api) < 0) {
                // Not served by a single broker (the cluster's own APIs): refused before sending.
                assertThrows(UnsupportedVersionException.class, () -> versions.latestUsableVersion(api), api.apiName());
                continue;
            }
            // The broker advertises what Fjord's classes speak, so the usable version is the latest.
            assertEquals(api.latestVersion(), versions.latestUsableVersion(api), api.apiName());
        }
        assertTrue(versions.maxVersion(ApiKeys.PRODUCE) >= 0 && versions.maxVersion(ApiKeys.LEADER_AND_ISR) < 0,
                "a single broker serves Produce and not the controller's LeaderAndIsr");
        assertTrue(client.isReady(NODE));
    }

    @Test
    void pipelinedRequestsAllCompleteInOrderWithinTheInFlightLimit() throws Exception {
        client(NetworkClientConfig.defaults("network-test").withMaxInFlightPerConnection(3));
        int requests = 300;
        AtomicIntegerArray calls = new AtomicIntegerArray(requests);
        List<Integer> completionOrder = new CopyOnWriteArrayList<>();
        AtomicInteger maxPending = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(requests);
        for (int i = 0; i < requests; i++) {
            int index = i;
            client.send(NODE, new MetadataRequest(), (response, error) -> {
                calls.incrementAndGet(index);
                if (error == null && response instanceof MetadataResponse) {
                    completionOrder.add(index);
                }
                done.countDown();
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            assertEquals(1, calls.get(i), "handler calls of request " + i);
            expected.add(i);
        }
        assertEquals(expected, completionOrder);
    }

    @Test
    void producesRecordBatchesThatKafkasConsumerReadsBack() throws Exception {
        client(NetworkClientConfig.defaults("network-test"));
        CreateTopicsResponse created = client.send(NODE, new CreateTopicsRequest().setTimeoutMs(30_000)
                .setTopics(List.of(new CreateTopicsRequest.CreatableTopic().setName("wire")
                        .setNumPartitions(1).setReplicationFactor((short) 1))), CreateTopicsResponse.class)
                .get(30, TimeUnit.SECONDS);
        assertEquals(Errors.NONE.code(), created.topics().get(0).errorCode());

        RecordBatchBuilder batch = new RecordBatchBuilder(0);
        for (int i = 0; i < 10; i++) {
            batch.append(1_000L + i, ("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        ProduceRequest produce = new ProduceRequest().setAcks((short) -1).setTimeoutMs(30_000)
                .setTopicData(List.of(new ProduceRequest.TopicProduceData().setName("wire")
                        .setPartitionData(List.of(new ProduceRequest.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecordSet.of(batch.build()))))));
        ProduceResponse produced = client.send(NODE, produce, ProduceResponse.class).get(30, TimeUnit.SECONDS);
        ProduceResponse.PartitionProduceResponse partition = produced.responses().get(0).partitionResponses().get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode());
        assertEquals(0, partition.baseOffset());

        try (KafkaConsumer<byte[], byte[]> consumer = broker.consumer(Map.of())) {
            TopicPartition tp = new TopicPartition("wire", 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < 10 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(10, records.size());
            for (int i = 0; i < 10; i++) {
                assertEquals(i, records.get(i).offset());
                assertEquals(1_000L + i, records.get(i).timestamp());
                assertArrayEquals(("k" + i).getBytes(StandardCharsets.UTF_8), records.get(i).key());
                assertArrayEquals(("v" + i).getBytes(StandardCharsets.UTF_8), records.get(i).value());
            }
        }
    }

    @Test
    void aBrokerStoppingMidFlightEndsEveryRequestOnce() throws Exception {
        client(NetworkClientConfig.defaults("network-test").withReconnectBackoffMs(50, 200));
        client.send(NODE, new MetadataRequest(), MetadataResponse.class).get(30, TimeUnit.SECONDS);
        int requests = 2_000;
        AtomicIntegerArray calls = new AtomicIntegerArray(requests);
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        List<ApiMessage> responses = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(requests);
        for (int i = 0; i < requests; i++) {
            int index = i;
            client.send(NODE, new MetadataRequest(), (response, error) -> {
                calls.incrementAndGet(index);
                if (error != null) {
                    failures.add(error);
                } else {
                    responses.add(response);
                }
                done.countDown();
            });
            if (i == requests / 10) {
                broker.broker().shutdown();
            }
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), done.getCount() + " requests never ended");
        for (int i = 0; i < requests; i++) {
            assertEquals(1, calls.get(i), "handler calls of request " + i);
        }
        assertTrue(!failures.isEmpty(), "some requests must fail once the broker is gone");
        for (RuntimeException failure : failures) {
            assertInstanceOf(DisconnectException.class, failure);
        }
        assertEquals(requests, failures.size() + responses.size());
    }
}
