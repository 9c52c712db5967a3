package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Answers that Kafka's clients depend on, checked on the wire where the clients would hide them. */
class WireProtocolTest {

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private WireClient wire;

    @BeforeEach
    void start() throws Exception {
        fixture = BrokerFixture.start(dir);
        wire = WireClient.connect(fixture.broker.boundPort(), "wire-test");
    }

    @AfterEach
    void stop() throws Exception {
        wire.close();
        fixture.close();
    }

    private ByteBuffer roundTrip(ApiKeys api, short version, int correlationId, Struct body) throws IOException {
        return wire.roundTrip(api, version, correlationId, body);
    }

    @Test
    void apiVersionsAboveOursGetsAVersionZeroErrorBodyListingEveryApi() throws IOException {
        // Request header v2 of ApiVersions v99 (client id "x", no tags) and an empty flexible body.
        ByteBuffer request = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + 1 + 1 + 1 + 1);
        request.putInt(request.capacity() - 4).putShort(ApiKeys.API_VERSIONS.id()).putShort((short) 99).putInt(7)
                .putShort((short) 1).put((byte) 'x').put((byte) 0).put((byte) 1).put((byte) 1);
        wire.writeRaw(request.array());
        ByteBuffer frame = wire.readFrame();
        assertEquals(7, frame.getInt());
        Struct response = MessageCodec.decodeResponseBody(ApiKeys.API_VERSIONS, (short) 0,
                new io.fjord.protocol.types.WireReader(frame));
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.getShort("error_code"));
        assertEquals(ApiKeys.values().length, response.getStructArray("api_keys").size());
        Struct own = response.getStructArray("api_keys").stream()
                .filter(k -> k.getShort("api_key") == ApiKeys.API_VERSIONS.id()).findFirst().orElseThrow();
        assertEquals(ApiKeys.API_VERSIONS.latestVersion(), own.getShort("max_version"));
    }

    @Test
    void produceBelowVersionThreeIsUnsupportedPerPartition() throws IOException {
        Struct request = MessageCodec.newRequest(ApiKeys.PRODUCE);
        request.set("acks", (short) 1);
        request.set("timeout_ms", 1000);
        Struct topic = request.addElement("topic_data");
        topic.set("name", "t");
        Struct partition = topic.addElement("partition_data");
        partition.set("index", 0);
        partition.set("records", ByteBuffer.allocate(0));
        ByteBuffer frame = roundTrip(ApiKeys.PRODUCE, (short) 2, 9, request);
        assertEquals(9, frame.getInt());
        Struct response = MessageCodec.decodeResponseBody(ApiKeys.PRODUCE, (short) 2,
                new io.fjord.protocol.types.WireReader(frame));
        List<Struct> partitions = response.getStructArray("responses").get(0).getStructArray("partition_responses");
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), partitions.get(0).getShort("error_code"));
    }

    @Test
    void fetchAnswersEveryPartitionWithNonNullRecordsAndNoSession() throws IOException {
        fixture.broker.metadataStore().createTopic(io.fjord.controller.NewTopic.of("f", 2, 1), false);
        Struct request = MessageCodec.newRequest(ApiKeys.FETCH);
        request.set("max_wait_ms", 0);
        request.set("min_bytes", 1);
        request.set("isolation_level", (byte) 0);
        request.set("session_id", 0);
        request.set("session_epoch", 0);
        Struct topic = request.addElement("topics");
        topic.set("topic", "f");
        for (int i = 0; i < 3; i++) {
            Struct p = topic.addElement("partitions");
            p.set("partition", i);
            p.set("fetch_offset", i == 1 ? 5L : 0L);
            p.set("partition_max_bytes", 1024);
        }
        request.set("forgotten_topics_data", List.of());
        request.set("rack_id", "");
        ByteBuffer frame = roundTrip(ApiKeys.FETCH, (short) 11, 3, request);
        assertEquals(3, frame.getInt());
        Struct response = MessageCodec.decodeResponseBody(ApiKeys.FETCH, (short) 11,
                new io.fjord.protocol.types.WireReader(frame));
        assertEquals(0, response.getInt("session_id"));
        List<Struct> partitions = response.getStructArray("responses").get(0).getStructArray("partitions");
        assertEquals(3, partitions.size());
        assertEquals(Errors.NONE.code(), partitions.get(0).getShort("error_code"));
        assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), partitions.get(1).getShort("error_code"));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), partitions.get(2).getShort("error_code"));
        for (Struct p : partitions) {
            assertEquals(-1, p.getInt("preferred_read_replica"));
            ByteBuffer records = p.getRecords("records");
            assertTrue(records != null && records.remaining() == 0, "records are empty, never null");
        }
    }

    @Test
    void metadataAnswersByTopicIdFromVersionTwelveAndRefusesIdsBefore() throws IOException {
        UUID id = fixture.broker.metadataStore().createTopic(io.fjord.controller.NewTopic.of("ids", 2, 1), false).id();
        UUID unknown = new UUID(42, 42);
        Struct request = MessageCodec.newRequest(ApiKeys.METADATA);
        request.addElement("topics").set("topic_id", id).set("name", null);
        request.addElement("topics").set("topic_id", unknown).set("name", null);
        request.addElement("topics").set("name", "ids");
        // As Kafka's clients send it: the id, and the name left empty.
        request.addElement("topics").set("topic_id", id).set("name", "");
        request.set("allow_auto_topic_creation", false);

        List<Struct> topics = metadata((short) 12, request, 21).getStructArray("topics");
        assertEquals(4, topics.size());
        for (int i : new int[] {0, 2, 3}) {
            assertEquals(Errors.NONE.code(), topics.get(i).getShort("error_code"));
            assertEquals("ids", topics.get(i).getString("name"));
            assertEquals(id, topics.get(i).getUuid("topic_id"));
            assertEquals(2, topics.get(i).getStructArray("partitions").size());
        }
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), topics.get(1).getShort("error_code"));
        assertNull(topics.get(1).getString("name"));
        assertEquals(unknown, topics.get(1).getUuid("topic_id"));

        // Version 10 carries ids in answers, but a topic may not be asked for by id.
        Struct v10 = MessageCodec.newRequest(ApiKeys.METADATA);
        v10.addElement("topics").set("topic_id", id).set("name", null);
        v10.addElement("topics").set("name", "ids");
        List<Struct> old = metadata((short) 10, v10, 22).getStructArray("topics");
        assertEquals(Errors.INVALID_REQUEST.code(), old.get(0).getShort("error_code"));
        assertEquals(Errors.NONE.code(), old.get(1).getShort("error_code"));
        assertEquals(id, old.get(1).getUuid("topic_id"));
    }

    /** A flexible Metadata round trip: response header v1 is the correlation id and an empty tag section. */
    private Struct metadata(short version, Struct request, int correlationId) throws IOException {
        ByteBuffer frame = roundTrip(ApiKeys.METADATA, version, correlationId, request);
        assertEquals(correlationId, frame.getInt());
        assertEquals(0, frame.get(), "no header tags");
        return MessageCodec.decodeResponseBody(ApiKeys.METADATA, version, new io.fjord.protocol.types.WireReader(frame));
    }

    private Struct produce(short version, String topicName, ByteBuffer records, int correlationId) throws IOException {
        Struct request = MessageCodec.newRequest(ApiKeys.PRODUCE);
        request.set("acks", (short) -1);
        request.set("timeout_ms", 30_000);
        Struct topic = request.addElement("topic_data");
        topic.set("name", topicName);
        Struct partition = topic.addElement("partition_data");
        partition.set("index", 0);
        partition.set("records", records);
        ByteBuffer frame = roundTrip(ApiKeys.PRODUCE, version, correlationId, request);
        assertEquals(correlationId, frame.getInt());
        Struct response = MessageCodec.decodeResponseBody(ApiKeys.PRODUCE, version,
                new io.fjord.protocol.types.WireReader(frame));
        return response.getStructArray("responses").get(0).getStructArray("partition_responses").get(0);
    }

    /** An idempotent batch of two records written by Kafka's own classes. */
    private static ByteBuffer idempotentBatch(long producerId, int baseSequence) {
        ByteBuffer kafka = org.apache.kafka.common.record.internal.MemoryRecords.withIdempotentRecords(
                org.apache.kafka.common.compress.Compression.NONE, producerId, (short) 0, baseSequence,
                new org.apache.kafka.common.record.internal.SimpleRecord(1L, null, new byte[] {1}),
                new org.apache.kafka.common.record.internal.SimpleRecord(2L, null, new byte[] {2})).buffer();
        ByteBuffer copy = ByteBuffer.allocate(kafka.remaining());
        copy.put(kafka).flip();
        return copy;
    }

    @Test
    void aRetriedIdempotentBatchIsAnsweredWithItsOriginalOffset() throws IOException {
        fixture.broker.metadataStore().createTopic(io.fjord.controller.NewTopic.of("idem", 1, 1), false);
        Struct first = produce((short) 7, "idem", idempotentBatch(1000, 0), 11);
        Struct second = produce((short) 7, "idem", idempotentBatch(1000, 2), 12);
        Struct retry = produce((short) 7, "idem", idempotentBatch(1000, 2), 13);
        assertEquals(Errors.NONE.code(), first.getShort("error_code"));
        assertEquals(0L, first.getLong("base_offset"));
        assertEquals(2L, second.getLong("base_offset"));
        assertEquals(Errors.NONE.code(), retry.getShort("error_code"));
        assertEquals(2L, retry.getLong("base_offset"), "the duplicate gets the offset of the batch it repeats");
        assertEquals(4L, fixture.broker.replicaManager().partition(new io.fjord.api.TopicPartition("idem", 0))
                .logEndOffset(), "the duplicate was not appended");
    }

    @Test
    void aCorruptBatchIsRefusedPerPartitionAndTheConnectionKeepsServing() throws IOException {
        fixture.broker.metadataStore().createTopic(io.fjord.controller.NewTopic.of("crc", 1, 1), false);
        ByteBuffer corrupt = idempotentBatch(2000, 0);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0x5a));
        assertEquals(Errors.CORRUPT_MESSAGE.code(), produce((short) 7, "crc", corrupt, 21).getShort("error_code"));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                produce((short) 7, "no-such-topic", idempotentBatch(2001, 0), 22).getShort("error_code"));
        Struct ok = produce((short) 7, "crc", idempotentBatch(2000, 0), 23);
        assertEquals(Errors.NONE.code(), ok.getShort("error_code"));
        assertEquals(0L, ok.getLong("base_offset"));
    }

    @Test
    void batchesThatCannotBeRewrittenForTheTopicsCodecGetTypedErrors() throws IOException {
        fixture.broker.metadataStore().createTopic(new io.fjord.controller.NewTopic("rewrite", 1, (short) 1,
                java.util.Map.of(), java.util.Map.of("compression.type", "zstd")), false);

        ByteBuffer badCrc = kafkaBatch(org.apache.kafka.common.compress.Compression.gzip().build());
        badCrc.put(badCrc.limit() - 1, (byte) (badCrc.get(badCrc.limit() - 1) ^ 0x5a));
        assertEquals(Errors.CORRUPT_MESSAGE.code(), produce((short) 7, "rewrite", badCrc, 31).getShort("error_code"));

        // Garbage where the gzip stream should be, under a CRC that matches it.
        ByteBuffer garbage = kafkaBatch(org.apache.kafka.common.compress.Compression.gzip().build());
        for (int i = io.fjord.protocol.record.RecordBatchView.RECORDS_OFFSET; i < garbage.limit(); i++) {
            garbage.put(i, (byte) (i * 31));
        }
        garbage.putInt(io.fjord.protocol.record.RecordBatchView.CRC_OFFSET,
                (int) io.fjord.protocol.record.RecordBatchView.wrap(garbage).computeChecksum());
        assertEquals(Errors.CORRUPT_MESSAGE.code(), produce((short) 7, "rewrite", garbage, 32).getShort("error_code"));

        // No snappy codec is loaded in this broker: the batch cannot be read to be rewritten.
        ByteBuffer snappy = kafkaBatch(org.apache.kafka.common.compress.Compression.snappy().build());
        assertEquals(Errors.UNSUPPORTED_COMPRESSION_TYPE.code(),
                produce((short) 7, "rewrite", snappy, 33).getShort("error_code"));

        Struct ok = produce((short) 7, "rewrite", kafkaBatch(org.apache.kafka.common.compress.Compression.gzip()
                .build()), 34);
        assertEquals(Errors.NONE.code(), ok.getShort("error_code"));
        assertEquals(0L, ok.getLong("base_offset"), "nothing of the refused batches was stored");
        assertEquals(List.of("zstd"), StoredBatches.codecsOf(fixture.dataDir, "rewrite"));
    }

    /** Three records in one batch written by Kafka's own classes with {@code compression}. */
    private static ByteBuffer kafkaBatch(org.apache.kafka.common.compress.Compression compression) {
        ByteBuffer kafka = org.apache.kafka.common.record.internal.MemoryRecords.withRecords(compression,
                new org.apache.kafka.common.record.internal.SimpleRecord(1L, null, "one one one".getBytes()),
                new org.apache.kafka.common.record.internal.SimpleRecord(2L, null, "two two two".getBytes()),
                new org.apache.kafka.common.record.internal.SimpleRecord(3L, null, "three three".getBytes()))
                .buffer();
        ByteBuffer copy = ByteBuffer.allocate(kafka.remaining());
        copy.put(kafka).flip();
        return copy;
    }
}
