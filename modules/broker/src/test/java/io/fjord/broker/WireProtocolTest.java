package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.common.errors.Errors;
import io.fjord.network.testing.WireClient;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiVersionsRequest;
import io.fjord.protocol.message.ApiVersionsResponse;
import io.fjord.protocol.message.FetchRequest;
import io.fjord.protocol.message.FetchResponse;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;
import io.fjord.protocol.message.ProduceRequest;
import io.fjord.protocol.message.ProduceResponse;
import io.fjord.protocol.message.ProduceResponse.PartitionProduceResponse;
import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.RecordSet;
import io.fjord.protocol.types.WireReader;
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
        wire = WireClient.connect(fixture.broker().boundPort(), "wire-test");
    }

    @AfterEach
    void stop() throws Exception {
        wire.close();
        fixture.close();
    }

    @Test
    void apiVersionsAboveOursGetsAVersionZeroErrorBodyListingEveryRoutedApi() throws IOException {
        // Request header v2 of ApiVersions v99 (client id "x", no tags) and an empty flexible body.
        ByteBuffer request = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + 1 + 1 + 1 + 1);
        request.putInt(request.capacity() - 4).putShort(ApiKeys.API_VERSIONS.id()).putShort((short) 99).putInt(7)
                .putShort((short) 1).put((byte) 'x').put((byte) 0).put((byte) 1).put((byte) 1);
        wire.sendRaw(request.array());
        ByteBuffer frame = wire.receive();
        assertEquals(7, frame.getInt());
        ApiVersionsResponse response = (ApiVersionsResponse) MessageCodec.decodeResponseBody(ApiKeys.API_VERSIONS,
                (short) 0, new WireReader(frame));
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.errorCode());
        ApiVersionsResponse supported = wire.call((short) 3, new ApiVersionsRequest().setClientSoftwareName("wire-test")
                .setClientSoftwareVersion("1"), ApiVersionsResponse.class);
        assertEquals(supported.apiKeys(), response.apiKeys(), "the same APIs as a supported version's answer");
        ApiVersionsResponse.ApiVersion own = response.apiKeys().stream()
                .filter(k -> k.apiKey() == ApiKeys.API_VERSIONS.id()).findFirst().orElseThrow();
        assertEquals(ApiKeys.API_VERSIONS.latestVersion(), own.maxVersion());
    }

    @Test
    void produceBelowVersionThreeIsUnsupportedPerPartition() throws IOException {
        ProduceRequest request = new ProduceRequest().setAcks((short) 1).setTimeoutMs(1000).setTopicData(List.of(
                new ProduceRequest.TopicProduceData().setName("t").setPartitionData(List.of(
                        new ProduceRequest.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecordSet.readOnly(ByteBuffer.allocate(0)))))));
        ByteBuffer frame = wire.roundTrip((short) 2, 9, request);
        assertEquals(9, frame.getInt());
        ProduceResponse response = (ProduceResponse) MessageCodec.decodeResponseBody(ApiKeys.PRODUCE, (short) 2,
                new WireReader(frame));
        List<PartitionProduceResponse> partitions = response.responses().get(0).partitionResponses();
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), partitions.get(0).errorCode());
    }

    @Test
    void fetchAnswersEveryPartitionWithNonNullRecordsAndNoSession() throws IOException {
        fixture.broker().metadataStore().createTopic(io.fjord.controller.NewTopic.of("f", 2, 1), false);
        FetchRequest.FetchTopic topic = new FetchRequest.FetchTopic().setTopic("f");
        for (int i = 0; i < 3; i++) {
            topic.partitions().add(new FetchRequest.FetchPartition()
                    .setPartition(i)
                    .setFetchOffset(i == 1 ? 5L : 0L)
                    .setPartitionMaxBytes(1024));
        }
        FetchRequest request = new FetchRequest()
                .setMaxWaitMs(0)
                .setMinBytes(1)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(List.of(topic))
                .setForgottenTopicsData(List.of())
                .setRackId("");
        ByteBuffer frame = wire.roundTrip((short) 11, 3, request);
        assertEquals(3, frame.getInt());
        FetchResponse response = (FetchResponse) MessageCodec.decodeResponseBody(ApiKeys.FETCH, (short) 11,
                new WireReader(frame));
        assertEquals(0, response.sessionId());
        List<FetchResponse.PartitionData> partitions = response.responses().get(0).partitions();
        assertEquals(3, partitions.size());
        assertEquals(Errors.NONE.code(), partitions.get(0).errorCode());
        assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), partitions.get(1).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), partitions.get(2).errorCode());
        for (FetchResponse.PartitionData p : partitions) {
            assertEquals(-1, p.preferredReadReplica());
            RecordSet records = p.records();
            assertTrue(records != null && records.sizeInBytes() == 0, "records are empty, never null");
        }
    }

    @Test
    void fetchByTopicIdAnswersAnUnknownIdPerPartitionAndServesTheKnownOne() throws IOException {
        UUID id = fixture.broker().metadataStore().createTopic(io.fjord.controller.NewTopic.of("fetch-ids", 1, 1), false)
                .id();
        UUID unknown = new UUID(7, 7);
        FetchRequest request = new FetchRequest().setMaxWaitMs(0).setMinBytes(0).setSessionId(0).setSessionEpoch(-1)
                .setRackId("");
        request.topics().add(new FetchRequest.FetchTopic().setTopicId(unknown).setPartitions(List.of(
                new FetchRequest.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1024),
                new FetchRequest.FetchPartition().setPartition(3).setFetchOffset(0).setPartitionMaxBytes(1024))));
        request.topics().add(new FetchRequest.FetchTopic().setTopicId(id).setPartitions(List.of(
                new FetchRequest.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1024))));
        short version = 13;
        ByteBuffer frame = wire.roundTrip(version, 31, request);
        assertEquals(31, frame.getInt());
        frame.get(); // the flexible response header's empty tagged fields
        FetchResponse response = (FetchResponse) MessageCodec.decodeResponseBody(ApiKeys.FETCH, version,
                new WireReader(frame));
        assertEquals(Errors.NONE.code(), response.errorCode(), "an unknown id fails its partitions, not the request");
        FetchResponse.FetchableTopicResponse missing = response.responses().stream()
                .filter(t -> t.topicId().equals(unknown)).findFirst().orElseThrow();
        assertEquals(List.of(0, 3), missing.partitions().stream().map(FetchResponse.PartitionData::partitionIndex).toList());
        for (FetchResponse.PartitionData p : missing.partitions()) {
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), p.errorCode());
            assertEquals(-1, p.highWatermark());
        }
        FetchResponse.FetchableTopicResponse known = response.responses().stream()
                .filter(t -> t.topicId().equals(id)).findFirst().orElseThrow();
        assertEquals(Errors.NONE.code(), known.partitions().get(0).errorCode());
        assertEquals(0, known.partitions().get(0).highWatermark());
    }

    @Test
    void metadataAnswersByTopicIdFromVersionTwelveAndRefusesIdsBefore() throws IOException {
        UUID id = fixture.broker().metadataStore().createTopic(io.fjord.controller.NewTopic.of("ids", 2, 1), false).id();
        UUID unknown = new UUID(42, 42);
        MetadataRequest request = new MetadataRequest().setAllowAutoTopicCreation(false).setTopics(List.of(
                new MetadataRequest.MetadataRequestTopic().setTopicId(id).setName(null),
                new MetadataRequest.MetadataRequestTopic().setTopicId(unknown).setName(null),
                new MetadataRequest.MetadataRequestTopic().setName("ids"),
                // As Kafka's clients send it: the id, and the name left empty.
                new MetadataRequest.MetadataRequestTopic().setTopicId(id).setName("")));

        List<MetadataResponse.MetadataResponseTopic> topics = metadata((short) 12, request, 21).topics();
        assertEquals(4, topics.size());
        for (int i : new int[] {0, 2, 3}) {
            assertEquals(Errors.NONE.code(), topics.get(i).errorCode());
            assertEquals("ids", topics.get(i).name());
            assertEquals(id, topics.get(i).topicId());
            assertEquals(2, topics.get(i).partitions().size());
        }
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), topics.get(1).errorCode());
        assertNull(topics.get(1).name());
        assertEquals(unknown, topics.get(1).topicId());

        // Version 10 carries ids in answers, but a topic may not be asked for by id.
        MetadataRequest v10 = new MetadataRequest().setTopics(List.of(
                new MetadataRequest.MetadataRequestTopic().setTopicId(id).setName(null),
                new MetadataRequest.MetadataRequestTopic().setName("ids")));
        List<MetadataResponse.MetadataResponseTopic> old = metadata((short) 10, v10, 22).topics();
        assertEquals(Errors.INVALID_REQUEST.code(), old.get(0).errorCode());
        assertEquals(Errors.NONE.code(), old.get(1).errorCode());
        assertEquals(id, old.get(1).topicId());
    }

    /** A flexible Metadata round trip: response header v1 is the correlation id and an empty tag section. */
    private MetadataResponse metadata(short version, MetadataRequest request, int correlationId) throws IOException {
        ByteBuffer frame = wire.roundTrip(version, correlationId, request);
        assertEquals(correlationId, frame.getInt());
        assertEquals(0, frame.get(), "no header tags");
        return (MetadataResponse) MessageCodec.decodeResponseBody(ApiKeys.METADATA, version, new WireReader(frame));
    }

    private PartitionProduceResponse produce(short version, String topicName, ByteBuffer records, int correlationId)
            throws IOException {
        ProduceRequest request = new ProduceRequest().setAcks((short) -1).setTimeoutMs(30_000).setTopicData(List.of(
                new ProduceRequest.TopicProduceData().setName(topicName).setPartitionData(List.of(
                        new ProduceRequest.PartitionProduceData().setIndex(0)
                                .setRecords(MemoryRecordSet.readOnly(records))))));
        ByteBuffer frame = wire.roundTrip(version, correlationId, request);
        assertEquals(correlationId, frame.getInt());
        ProduceResponse response = (ProduceResponse) MessageCodec.decodeResponseBody(ApiKeys.PRODUCE, version,
                new WireReader(frame));
        return response.responses().get(0).partitionResponses().get(0);
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
        fixture.broker().metadataStore().createTopic(io.fjord.controller.NewTopic.of("idem", 1, 1), false);
        PartitionProduceResponse first = produce((short) 7, "idem", idempotentBatch(1000, 0), 11);
        PartitionProduceResponse second = produce((short) 7, "idem", idempotentBatch(1000, 2), 12);
        PartitionProduceResponse retry = produce((short) 7, "idem", idempotentBatch(1000, 2), 13);
        assertEquals(Errors.NONE.code(), first.errorCode());
        assertEquals(0L, first.baseOffset());
        assertEquals(2L, second.baseOffset());
        assertEquals(Errors.NONE.code(), retry.errorCode());
        assertEquals(2L, retry.baseOffset(), "the duplicate gets the offset of the batch it repeats");
        assertEquals(4L, fixture.broker().replicaManager().partition(new io.fjord.api.TopicPartition("idem", 0))
                .logEndOffset(), "the duplicate was not appended");
    }

    @Test
    void aCorruptBatchIsRefusedPerPartitionAndTheConnectionKeepsServing() throws IOException {
        fixture.broker().metadataStore().createTopic(io.fjord.controller.NewTopic.of("crc", 1, 1), false);
        ByteBuffer corrupt = idempotentBatch(2000, 0);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0x5a));
        assertEquals(Errors.CORRUPT_MESSAGE.code(), produce((short) 7, "crc", corrupt, 21).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                produce((short) 7, "no-such-topic", idempotentBatch(2001, 0), 22).errorCode());
        PartitionProduceResponse ok = produce((short) 7, "crc", idempotentBatch(2000, 0), 23);
        assertEquals(Errors.NONE.code(), ok.errorCode());
        assertEquals(0L, ok.baseOffset());
    }

    @Test
    void batchesThatCannotBeRewrittenForTheTopicsCodecGetTypedErrors() throws IOException {
        fixture.broker().metadataStore().createTopic(new io.fjord.controller.NewTopic("rewrite", 1, (short) 1,
                java.util.Map.of(), java.util.Map.of("compression.type", "zstd")), false);

        ByteBuffer badCrc = kafkaBatch(org.apache.kafka.common.compress.Compression.gzip().build());
        badCrc.put(badCrc.limit() - 1, (byte) (badCrc.get(badCrc.limit() - 1) ^ 0x5a));
        assertEquals(Errors.CORRUPT_MESSAGE.code(), produce((short) 7, "rewrite", badCrc, 31).errorCode());

        // Garbage where the gzip stream should be, under a CRC that matches it.
        ByteBuffer garbage = kafkaBatch(org.apache.kafka.common.compress.Compression.gzip().build());
        for (int i = io.fjord.protocol.record.RecordBatchView.RECORDS_OFFSET; i < garbage.limit(); i++) {
            garbage.put(i, (byte) (i * 31));
        }
        garbage.putInt(io.fjord.protocol.record.RecordBatchView.CRC_OFFSET,
                (int) io.fjord.protocol.record.RecordBatchView.wrap(garbage).computeChecksum());
        assertEquals(Errors.CORRUPT_MESSAGE.code(), produce((short) 7, "rewrite", garbage, 32).errorCode());

        // No snappy codec is loaded in this broker: the batch cannot be read to be rewritten.
        ByteBuffer snappy = kafkaBatch(org.apache.kafka.common.compress.Compression.snappy().build());
        assertEquals(Errors.UNSUPPORTED_COMPRESSION_TYPE.code(),
                produce((short) 7, "rewrite", snappy, 33).errorCode());

        PartitionProduceResponse ok = produce((short) 7, "rewrite",
                kafkaBatch(org.apache.kafka.common.compress.Compression.gzip().build()), 34);
        assertEquals(Errors.NONE.code(), ok.errorCode());
        assertEquals(0L, ok.baseOffset(), "nothing of the refused batches was stored");
        assertEquals(List.of("zstd"), StoredBatches.codecsOf(fixture.dataDir(), "rewrite"));
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
