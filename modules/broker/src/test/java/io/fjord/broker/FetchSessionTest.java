package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.common.errors.Errors;
import io.fjord.network.testing.WireClient;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.FetchRequest;
import io.fjord.protocol.message.FetchResponse;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.types.WireReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Incremental fetch sessions (KIP-227) on the wire: a full fetch opens a session, later fetches
 * carry changes and are answered with changed partitions only, session errors are Kafka's, and the
 * cache never holds more sessions than its slots.
 */
class FetchSessionTest {

    private static final short VERSION = 12;

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private final List<WireClient> wires = new ArrayList<>();
    private int correlation;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir, Map.of("max.incremental.fetch.session.cache.slots", "2"));
        fixture.broker().metadataStore().createTopic(io.fjord.controller.NewTopic.of("s", 3, 1), false);
    }

    @AfterEach
    void stop() throws Exception {
        for (WireClient wire : wires) {
            wire.close();
        }
        fixture.close();
    }

    private WireClient wire() throws IOException {
        WireClient wire = WireClient.connect(fixture.broker().boundPort(), "session-test");
        wires.add(wire);
        return wire;
    }

    private static FetchRequest fetch(int sessionId, int epoch, int replicaId, int... partitionsAndOffsets) {
        FetchRequest.FetchTopic topic = new FetchRequest.FetchTopic().setTopic("s");
        for (int i = 0; i < partitionsAndOffsets.length; i += 2) {
            topic.partitions().add(new FetchRequest.FetchPartition().setPartition(partitionsAndOffsets[i])
                    .setFetchOffset(partitionsAndOffsets[i + 1]).setPartitionMaxBytes(1024 * 1024));
        }
        FetchRequest request = new FetchRequest().setReplicaId(replicaId).setMaxWaitMs(0).setMinBytes(0)
                .setSessionId(sessionId).setSessionEpoch(epoch).setRackId("");
        if (!topic.partitions().isEmpty()) {
            request.topics().add(topic);
        }
        return request;
    }

    private FetchResponse send(WireClient wire, FetchRequest request) throws IOException {
        int id = ++correlation;
        ByteBuffer frame = wire.roundTrip(VERSION, id, request);
        assertEquals(id, frame.getInt());
        frame.get(); // the response header's empty tagged fields (flexible versions)
        return (FetchResponse) MessageCodec.decodeResponseBody(ApiKeys.FETCH, VERSION, new WireReader(frame));
    }

    private static List<Integer> partitions(FetchResponse response) {
        List<Integer> out = new ArrayList<>();
        response.responses().forEach(t -> t.partitions().forEach(p -> out.add(p.partitionIndex())));
        return out;
    }

    private void produce(int partition, int count) {
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>("s", partition, null, new byte[10]));
            }
            producer.flush();
        }
    }

    @Test
    void aFullFetchOpensASessionAndLaterFetchesCarryOnlyWhatChanged() throws IOException {
        produce(0, 5);
        WireClient wire = wire();
        FetchResponse full = send(wire, fetch(0, 0, -1, 0, 5, 1, 0, 2, 0));
        assertEquals(Errors.NONE.code(), full.errorCode());
        int session = full.sessionId();
        assertNotEquals(0, session, "a full fetch at epoch 0 opens a session");
        assertEquals(List.of(0, 1, 2), partitions(full));

        // Nothing new: an incremental fetch with no partitions answers none.
        FetchResponse quiet = send(wire, fetch(session, 1, -1));
        assertEquals(Errors.NONE.code(), quiet.errorCode());
        assertEquals(session, quiet.sessionId());
        assertEquals(List.of(), partitions(quiet));

        // New records on partition 1 come without asking for it again.
        produce(1, 3);
        assertEquals(List.of(1), partitions(send(wire, fetch(session, 2, -1))));
        // Moving partition 1's offset past them is a change the session takes in; nothing is new then.
        assertEquals(List.of(), partitions(send(wire, fetch(session, 3, -1, 1, 3))));

        FetchRequest forget = fetch(session, 4, -1);
        forget.forgottenTopicsData().add(new FetchRequest.ForgottenTopic().setTopic("s").setPartitions(List.of(1)));
        send(wire, forget);
        produce(1, 2);
        produce(2, 2);
        assertEquals(List.of(2), partitions(send(wire, fetch(session, 5, -1))), "partition 1 was forgotten");

        FetchResponse wrongEpoch = send(wire, fetch(session, 9, -1));
        assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH.code(), wrongEpoch.errorCode());
        FetchResponse unknown = send(wire, fetch(session + 1, 1, -1));
        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), unknown.errorCode());
        FetchResponse sessionless = send(wire, fetch(0, -1, -1, 0, 0));
        assertEquals(0, sessionless.sessionId(), "epoch -1 fetches without a session");

        FetchSessionMetrics metrics = fixture.broker().fetchSessionMetrics();
        assertEquals(1, metrics.sessions());
        assertEquals(2, metrics.partitionsCached());
        assertEquals(2, metrics.fullRequests());
        assertEquals(5, metrics.incrementalRequests(), metrics.toString());
    }

    @Test
    void theCacheHoldsNoMoreSessionsThanItsSlotsAndAFollowerEvictsAConsumer() throws IOException {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(send(wire(), fetch(0, 0, -1, 0, 0)).sessionId());
        }
        assertNotEquals(0, ids.get(0));
        assertNotEquals(0, ids.get(1));
        assertEquals(List.of(0, 0), ids.subList(2, 4), "no slot left, and young consumer sessions are not evicted");
        assertEquals(2, fixture.broker().fetchSessionMetrics().sessions());
        assertEquals(0, fixture.broker().fetchSessionMetrics().evictions());

        int follower = send(wire(), fetch(0, 0, 7, 0, 0)).sessionId();
        assertNotEquals(0, follower, "a follower's session takes a consumer's slot");
        FetchSessionMetrics metrics = fixture.broker().fetchSessionMetrics();
        assertEquals(2, metrics.sessions());
        assertEquals(1, metrics.evictions());
    }
}
