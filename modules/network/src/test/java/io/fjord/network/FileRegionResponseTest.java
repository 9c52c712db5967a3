package io.fjord.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.network.testing.WireClient;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.FileRecordSet;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A fetch response whose records are a slice of a log file, sent as a file region, read by Kafka's client classes. */
class FileRegionResponseTest extends ServerFixture {

    /** A slice of a file, as the log will hand it out. */
    private record FileSlice(FileChannel channel, long position, int sizeInBytes) implements FileRecordSet {
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"auto", "nio"})
    void fetchResponsesWithFileRegionsArriveByteExact(String transport) throws Exception {
        Random random = new Random(11);
        SimpleRecord[] records = new SimpleRecord[300];
        for (int i = 0; i < records.length; i++) {
            byte[] value = new byte[1000];
            random.nextBytes(value);
            records[i] = new SimpleRecord(i, ("key-" + i).getBytes(), value);
        }
        ByteBuffer batch = MemoryRecords.withRecords(Compression.NONE, records).buffer();
        byte[] batchBytes = new byte[batch.remaining()];
        batch.duplicate().get(batchBytes);
        byte[] junk = new byte[100];
        random.nextBytes(junk);
        Path segment = dir.resolve("00000000000000000000.log");
        Files.write(segment, junk);
        Files.write(segment, batchBytes, StandardOpenOption.APPEND);
        Files.write(segment, junk, StandardOpenOption.APPEND);
        ByteBuffer inMemory = ByteBuffer.wrap(MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(7L, "k".getBytes(), "in memory".getBytes())).buffer().array());

        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            FileSlice slice = new FileSlice(channel, junk.length, batchBytes.length);
            SocketServer server = start(Map.of(NetworkConfig.TRANSPORT, transport), request -> {
                io.fjord.protocol.message.FetchResponse response = new io.fjord.protocol.message.FetchResponse()
                        .setSessionId(0);
                io.fjord.protocol.message.FetchResponse.FetchableTopicResponse topic =
                        new io.fjord.protocol.message.FetchResponse.FetchableTopicResponse().setTopic("clicks");
                response.responses().add(topic);
                topic.partitions().add(new io.fjord.protocol.message.FetchResponse.PartitionData()
                        .setPartitionIndex(0).setHighWatermark(300L).setRecords(slice));
                topic.partitions().add(new io.fjord.protocol.message.FetchResponse.PartitionData()
                        .setPartitionIndex(1).setHighWatermark(1L).setRecords(MemoryRecordSet.readOnly(inMemory)));
                request.sendResponse(MessageCodec.encodeBody(request.header().apiVersion(), response));
            });
            int fetches = 20;
            try (WireClient client = new WireClient(server.boundAddress())) {
                for (int i = 0; i < fetches; i++) {
                    client.write(WireClient.request(ApiKeys.FETCH, (short) 11, i, ByteBuffer.allocate(0)));
                }
                client.flush();
                for (int i = 0; i < fetches; i++) {
                    RequestHeader header = new RequestHeader(org.apache.kafka.common.protocol.ApiKeys.FETCH,
                            (short) 11, "wire-client", i);
                    FetchResponse fetch = (FetchResponse) AbstractResponse.parseResponse(client.receive(), header);
                    FetchResponseData.FetchableTopicResponse topic = fetch.data().responses().get(0);
                    MemoryRecords fromFile = (MemoryRecords) topic.partitions().get(0).records();
                    assertEquals(ByteBuffer.wrap(batchBytes), fromFile.buffer(), "file slice, byte for byte");
                    int count = 0;
                    for (MutableRecordBatch received : fromFile.batches()) {
                        received.ensureValid();
                        count += received.countOrNull();
                    }
                    assertEquals(records.length, count);
                    assertEquals(inMemory, ((MemoryRecords) topic.partitions().get(1).records()).buffer());
                }
            }
            assertTrue(channel.isOpen(), "the network layer never closes the log's channel");
            assertEquals(0, channel.position(), "sends use positional transfers");
        }
    }

    @org.junit.jupiter.api.Test
    void aFileRecordSetCopiesWithPositionalReadsAndRejectsAShortFile() throws Exception {
        Path file = dir.resolve("short.log");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6});
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer copy = ByteBuffer.allocate(8).put((byte) 9);
            new FileSlice(channel, 2, 3).copyTo(copy);
            assertEquals(4, copy.position());
            assertEquals(ByteBuffer.wrap(new byte[] {9, 3, 4, 5}), copy.flip());
            assertEquals(0, channel.position());
            io.fjord.protocol.errors.ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(
                    io.fjord.protocol.errors.ProtocolException.class,
                    () -> new FileSlice(channel, 4, 5).copyTo(ByteBuffer.allocate(8)));
            assertEquals(io.fjord.common.errors.Errors.CORRUPT_MESSAGE, e.error());
        }
    }
}
