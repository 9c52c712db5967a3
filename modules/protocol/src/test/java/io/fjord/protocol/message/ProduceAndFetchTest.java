package io.fjord.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.EncodedMessage;
import io.fjord.protocol.types.Frames;
import io.fjord.protocol.types.RecordSet;
import io.fjord.protocol.types.WireReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

/** The zero-copy paths: produce records as slices of the request, fetch records as separate parts. */
class ProduceAndFetchTest {

    private static ProduceRequestData produceRequest(byte[]... batches) {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000)
                .setTransactionalId(null);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("orders");
        for (int i = 0; i < batches.length; i++) {
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(i)
                    .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batches[i]))));
        }
        data.topicData().add(topic);
        return data;
    }

    private static ByteBuffer frameBody(short version, ProduceRequestData data, boolean direct) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey((short) 0)
                .setRequestApiVersion(version).setCorrelationId(11).setClientId("rdkafka");
        ByteBuffer h = KafkaMessages.write(header, (short) 1);
        ByteBuffer b = KafkaMessages.write(data, version);
        ByteBuffer frame = direct ? ByteBuffer.allocateDirect(h.remaining() + b.remaining())
                : ByteBuffer.allocate(h.remaining() + b.remaining());
        return frame.put(h).put(b).flip();
    }

    @Test
    void produceRecordsAreSlicesOfTheRequestBuffer() {
        byte[] first = new byte[300];
        byte[] second = new byte[77];
        new Random(1).nextBytes(first);
        new Random(2).nextBytes(second);
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer frame = frameBody((short) 7, produceRequest(first, second), direct);
            MessageCodec.DecodedRequest request = MessageCodec.decodeRequest(frame.duplicate());
            assertEquals(ApiKeys.PRODUCE, request.header().api());
            assertEquals("rdkafka", request.header().clientId());
            List<ProduceRequest.PartitionProduceData> partitions = ((ProduceRequest) request.body()).topicData()
                    .get(0).partitionData();
            ByteBuffer records = ((MemoryRecordSet) partitions.get(0).records()).buffer();
            assertEquals(ByteBuffer.wrap(first), records);
            assertEquals(ByteBuffer.wrap(second), ((MemoryRecordSet) partitions.get(1).records()).buffer());
            assertTrue(!records.isReadOnly(), "the log may stamp offsets into the request's batches");
            if (!direct) {
                assertSame(frame.array(), records.array(), "records share the request's array");
            }
            // A change to the request buffer shows through: no copy was made.
            int offset = indexOf(frame, first);
            frame.put(offset, (byte) (frame.get(offset) + 1));
            assertEquals((byte) (first[0] + 1), records.get(0));
        }
    }

    private static int indexOf(ByteBuffer haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.limit(); i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void legacyProduceVersionsDecodeSoTheBrokerCanAnswer() {
        // Versions 0 to 2 are version 3 without the leading transactional_id (null: INT16 -1).
        ByteBuffer v3 = KafkaMessages.write(produceRequest(new byte[] {1, 2, 3}), (short) 3);
        assertEquals(-1, v3.getShort(0));
        ByteBuffer legacy = v3.slice(2, v3.remaining() - 2);
        for (short v = 0; v <= 2; v++) {
            WireReader in = new WireReader(legacy.duplicate());
            ProduceRequest body = (ProduceRequest) MessageCodec.readRequestBody(ApiKeys.PRODUCE, v, in);
            assertEquals(0, in.remaining());
            assertEquals(-1, body.acks());
            assertEquals("orders", body.topicData().get(0).name());
            assertEquals(legacy, MessageCodec.encodeBody(v, body).toByteBuffer());
            assertTrue(v < ApiKeys.PRODUCE.oldestAcceptedVersion());
        }
    }

    @Test
    void legacyProduceResponsesHaveTheirOldLayouts() {
        ProduceResponseData kafka = new ProduceResponseData().setThrottleTimeMs(5);
        ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse().setName("t");
        topic.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse().setIndex(2)
                .setErrorCode((short) 35).setBaseOffset(-1).setLogAppendTimeMs(-1));
        kafka.responses().add(topic);
        // Version 2 has version 3's layout.
        ByteBuffer v3 = KafkaMessages.write(kafka, (short) 3);
        ApiMessage response = MessageCodec.decodeResponseBody(ApiKeys.PRODUCE, (short) 3, new WireReader(v3.duplicate()));
        assertEquals(v3, MessageCodec.encodeBody((short) 2, response).toByteBuffer());
        // Versions 1 and 0, written out by hand: no log_append_time_ms; v0 also no throttle_time_ms.
        ByteBuffer v1 = ByteBuffer.allocate(64).putInt(1).putShort((short) 1).put((byte) 't').putInt(1)
                .putInt(2).putShort((short) 35).putLong(-1).putInt(5).flip();
        assertEquals(v1, MessageCodec.encodeBody((short) 1, response).toByteBuffer());
        ByteBuffer v0 = v1.slice(0, v1.remaining() - 4);
        assertEquals(v0, MessageCodec.encodeBody((short) 0, response).toByteBuffer());
    }

    /** A record set that is not in memory: it only counts how often its bytes are pulled. */
    private static final class RegionRecordSet implements RecordSet {
        private final byte[] content;
        int copies;

        RegionRecordSet(byte[] content) {
            this.content = content;
        }

        @Override
        public int sizeInBytes() {
            return content.length;
        }

        @Override
        public void copyTo(ByteBuffer destination) {
            copies++;
            destination.put(content);
        }
    }

    @Test
    void fetchResponseLeavesRecordSetsAsSeparatePartsAndWritesNoRecordsAsEmpty() {
        byte[] onDisk = new byte[4096];
        new Random(3).nextBytes(onDisk);
        RegionRecordSet region = new RegionRecordSet(onDisk);
        ByteBuffer inMemory = ByteBuffer.wrap(new byte[] {5, 6, 7});

        FetchResponse response = new FetchResponse().setSessionId(9);
        FetchResponse.FetchableTopicResponse topic = new FetchResponse.FetchableTopicResponse().setTopic("clicks");
        response.responses().add(topic);
        topic.partitions().add(new FetchResponse.PartitionData().setPartitionIndex(0).setHighWatermark(100L)
                .setRecords(region));
        topic.partitions().add(new FetchResponse.PartitionData().setPartitionIndex(1).setHighWatermark(3L)
                .setRecords(MemoryRecordSet.readOnly(inMemory)));
        topic.partitions().add(new FetchResponse.PartitionData().setPartitionIndex(2)); // records left at their default

        short version = 11;
        EncodedMessage frame = MessageCodec.encodeResponse(version, 77, response);
        Map<RecordSet, Boolean> recordParts = new IdentityHashMap<>();
        List<ByteBuffer> encodedParts = new ArrayList<>();
        frame.visit(new EncodedMessage.PartVisitor() {
            @Override
            public void encoded(ByteBuffer bytes) {
                encodedParts.add(bytes);
            }

            @Override
            public void records(RecordSet records) {
                recordParts.put(records, true);
            }
        });
        assertTrue(recordParts.containsKey(region), "the file region is handed over as it is");
        assertEquals(2, recordParts.size());
        assertEquals(0, region.copies, "encoding did not read the record set");
        int encodedBytes = encodedParts.stream().mapToInt(ByteBuffer::remaining).sum();
        assertEquals(frame.sizeInBytes(), encodedBytes + onDisk.length + 3);
        assertTrue(encodedBytes < 200, "only headers were encoded: " + encodedBytes);

        ByteBuffer wire = frame.toByteBuffer();
        ByteBuffer body = Frames.readWholeFrame(wire, Integer.MAX_VALUE);
        assertEquals(77, body.getInt());
        FetchResponseData kafka = (FetchResponseData) KafkaMessages.read(ApiKeys.FETCH, false, version, body);
        List<FetchResponseData.PartitionData> parts = kafka.responses().get(0).partitions();
        assertEquals(ByteBuffer.wrap(onDisk), ((MemoryRecords) parts.get(0).records()).buffer());
        assertEquals(inMemory, ((MemoryRecords) parts.get(1).records()).buffer());
        assertNotNull(parts.get(2).records(), "empty records, never null");
        assertEquals(0, parts.get(2).records().sizeInBytes());
        assertEquals(9, kafka.sessionId());
    }
}
