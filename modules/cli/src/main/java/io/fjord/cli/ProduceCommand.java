package io.fjord.cli;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.kernel.PluginRuntime;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;
import io.fjord.protocol.message.ProduceRequest;
import io.fjord.protocol.message.ProduceResponse;
import io.fjord.protocol.record.RecordBatchBuilder;
import io.fjord.protocol.types.MemoryRecordSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code fjord produce}: each line of standard input becomes one record, sent with acks=-1 in
 * batches of up to {@code --batch-size} lines, as Kafka's kafka-console-producer.sh does.
 * Keyed records go to the partition Kafka's default partitioner picks (murmur2 of the key);
 * unkeyed batches go to the partitions in turn.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Send lines from standard input to a topic (as kafka-console-producer.sh).")
public final class ProduceCommand implements Callable<Integer> {

    private static final short PRODUCE_VERSION = 7;
    private static final short METADATA_VERSION = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @Option(names = "--topic", required = true, paramLabel = "T")
    String topic;

    @Option(names = "--property", paramLabel = "k=v", description = "parse.key=true, key.separator=SEP (default tab).")
    Map<String, String> properties = new HashMap<>();

    @Option(names = "--compression-codec", defaultValue = "none", paramLabel = "none|gzip|lz4|zstd")
    String compressionCodec;

    @Option(names = "--batch-size", defaultValue = "200", paramLabel = "N", description = "Lines per batch.")
    int batchSize;

    @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS")
    int timeoutMs;

    @Override
    public Integer call() throws IOException {
        boolean parseKey = Boolean.parseBoolean(properties.getOrDefault("parse.key", "false"));
        String separator = properties.getOrDefault("key.separator", "\t");
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1");
        }
        try (PluginRuntime plugins = PluginRuntime.discover(null);
             BrokerConnection connection = BrokerConnection.open(bootstrapServer, timeoutMs)) {
            CompressionCodec codec = plugins.create(CompressionCodec.class, compressionCodec, Map.of());
            int partitionCount = partitionCount(connection);
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            List<byte[][]> pending = new ArrayList<>(batchSize);
            int batchNumber = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                byte[] key = null;
                String value = line;
                if (parseKey) {
                    int at = line.indexOf(separator);
                    if (at < 0) {
                        spec.commandLine().getErr().println("No key separator found on line: " + line);
                        spec.commandLine().getErr().flush();
                        return 1;
                    }
                    key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    value = line.substring(at + separator.length());
                }
                pending.add(new byte[][] {key, value.getBytes(StandardCharsets.UTF_8)});
                if (pending.size() == batchSize) {
                    send(connection, codec, partitionCount, pending, batchNumber++);
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                send(connection, codec, partitionCount, pending, batchNumber);
            }
            return 0;
        }
    }

    private int partitionCount(BrokerConnection connection) throws IOException {
        MetadataRequest request = new MetadataRequest()
                .setTopics(List.of(new MetadataRequest.MetadataRequestTopic().setName(topic)))
                .setAllowAutoTopicCreation(true);
        MetadataResponse.MetadataResponseTopic t = connection.send(METADATA_VERSION, request, MetadataResponse.class)
                .topics().get(0);
        Errors error = Errors.forCode(t.errorCode());
        if (error != Errors.NONE || t.partitions().isEmpty()) {
            throw new IOException("Topic " + topic + " is not available: " + error.defaultMessage());
        }
        return t.partitions().size();
    }

    /** One produce request with one batch per partition that has records of these lines. */
    private void send(BrokerConnection connection, CompressionCodec codec, int partitionCount,
            List<byte[][]> records, int batchNumber) throws IOException {
        Map<Integer, RecordBatchBuilder> batches = new HashMap<>();
        long now = System.currentTimeMillis();
        for (byte[][] record : records) {
            int partition = record[0] == null ? batchNumber % partitionCount
                    : (murmur2(record[0]) & 0x7fffffff) % partitionCount;
            batches.computeIfAbsent(partition, p -> new RecordBatchBuilder(0L).compression(codec))
                    .append(now, record[0], record[1]);
        }
        ProduceRequest.TopicProduceData topicData = new ProduceRequest.TopicProduceData().setName(topic);
        for (Map.Entry<Integer, RecordBatchBuilder> batch : batches.entrySet()) {
            topicData.partitionData().add(new ProduceRequest.PartitionProduceData()
                    .setIndex(batch.getKey())
                    .setRecords(MemoryRecordSet.readOnly(batch.getValue().build())));
        }
        ProduceRequest request = new ProduceRequest()
                .setAcks((short) -1)
                .setTimeoutMs(timeoutMs)
                .setTopicData(List.of(topicData));
        ProduceResponse response = connection.send(PRODUCE_VERSION, request, ProduceResponse.class);
        for (ProduceResponse.TopicProduceResponse result : response.responses()) {
            for (ProduceResponse.PartitionProduceResponse p : result.partitionResponses()) {
                Errors error = Errors.forCode(p.errorCode());
                if (error != Errors.NONE) {
                    throw new IOException("Producing to " + topic + "-" + p.index() + " failed: "
                            + error + " (" + error.defaultMessage() + ")");
                }
            }
        }
    }

    /** Kafka's murmur2 hash (seed 0x9747b28c), which its default partitioner applies to keys. */
    static int murmur2(byte[] data) {
        int length = data.length;
        int m = 0x5bd1e995;
        int r = 24;
        int h = 0x9747b28c ^ length;
        int length4 = length / 4;
        for (int i = 0; i < length4; i++) {
            int i4 = i * 4;
            int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16)
                    + ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = length4 * 4;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
            // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
            // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }
}
