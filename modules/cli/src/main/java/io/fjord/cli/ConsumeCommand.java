package io.fjord.cli;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;
import io.fjord.kernel.PluginRuntime;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.FetchRequest;
import io.fjord.protocol.message.FetchResponse;
import io.fjord.protocol.message.ListOffsetsRequest;
import io.fjord.protocol.message.ListOffsetsResponse;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchIterator;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;
import io.fjord.protocol.types.MemoryRecordSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code fjord consume}: prints the records of a topic, one value per line, as Kafka's
 * kafka-console-consumer.sh does, without consumer groups: every partition (or the one given) is
 * fetched from the start, the end, or an offset. Stops after {@code --max-messages} records or when
 * no record arrives for {@code --timeout-ms}.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Print the records of a topic (as kafka-console-consumer.sh, without groups).")
public final class ConsumeCommand implements Callable<Integer> {

    private static final short FETCH_VERSION = 11;
    private static final short LIST_OFFSETS_VERSION = 2;
    private static final short METADATA_VERSION = 4;
    private static final long EARLIEST = -2L;
    private static final long LATEST = -1L;
    private static final int FETCH_MAX_WAIT_MS = 500;
    private static final int SOCKET_TIMEOUT_MS = 30_000;
    private static final int PARTITION_MAX_BYTES = 1024 * 1024;
    // A compressed batch may inflate to at most this; more is treated as corrupt rather than allocated.
    private static final int MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @Option(names = "--topic", required = true, paramLabel = "T")
    String topic;

    @Option(names = "--from-beginning")
    boolean fromBeginning;

    @Option(names = "--partition", paramLabel = "P")
    Integer partition;

    @Option(names = "--offset", paramLabel = "O|earliest|latest", description = "Needs --partition.")
    String offset;

    @Option(names = "--max-messages", paramLabel = "N")
    long maxMessages = Long.MAX_VALUE;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Stop when no record arrives for this long.")
    long timeoutMs = Long.MAX_VALUE;

    @Option(names = "--property", paramLabel = "k=v", description = "print.key=true, key.separator=SEP (default tab).")
    Map<String, String> properties = new TreeMap<>();

    @Override
    public Integer call() throws IOException {
        if (offset != null && partition == null) {
            throw new IllegalArgumentException("--offset needs --partition");
        }
        boolean printKey = Boolean.parseBoolean(properties.getOrDefault("print.key", "false"));
        String separator = properties.getOrDefault("key.separator", "\t");
        PrintWriter out = spec.commandLine().getOut();
        try (PluginRuntime plugins = PluginRuntime.discover(FjordHome.pluginsFolder());
             NetworkClient client = new NetworkClient(NetworkClientConfig.defaults("fjord-console-consumer")
                     .withRequestTimeoutMs(SOCKET_TIMEOUT_MS))) {
            BrokerRequests connection = new BrokerRequests(client, bootstrapServer);
            CodecRegistry codecs = codecs(plugins);
            Map<Integer, Long> positions = startPositions(connection);
            long printed = 0;
            long lastRecordAt = System.nanoTime();
            while (printed < maxMessages) {
                FetchResponse response = connection.send(FETCH_VERSION, fetchRequest(positions), FetchResponse.class);
                int before = (int) Math.min(Integer.MAX_VALUE, printed);
                for (FetchResponse.FetchableTopicResponse t : response.responses()) {
                    for (FetchResponse.PartitionData p : t.partitions()) {
                        Errors error = Errors.forCode(p.errorCode());
                        if (error != Errors.NONE) {
                            throw new IOException("Fetching " + topic + "-" + p.partitionIndex()
                                    + " failed: " + error + " (" + error.defaultMessage() + ")");
                        }
                        int index = p.partitionIndex();
                        long position = positions.get(index);
                        // Decoded records are in memory: a slice of the response frame.
                        RecordBatchIterator batches = new RecordBatchIterator(((MemoryRecordSet) p.records()).buffer());
                        while (batches.hasNext() && printed < maxMessages) {
                            RecordBatchView batch = batches.next();
                            batch.ensureValid();
                            if (!batch.isControlBatch()) {
                                RecordCursor record = batch.records(codecs, MAX_DECOMPRESSED_BYTES);
                                while (printed < maxMessages && record.next()) {
                                    if (record.offset() < position) {
                                        continue;
                                    }
                                    if (printKey) {
                                        out.print(text(record.key()));
                                        out.print(separator);
                                    }
                                    out.println(text(record.value()));
                                    printed++;
                                    position = record.offset() + 1;
                                }
                            }
                            if (printed < maxMessages) {
                                position = Math.max(position, batch.nextOffset());
                            }
                        }
                        positions.put(index, position);
                    }
                }
                out.flush();
                long now = System.nanoTime();
                if (printed > before) {
                    lastRecordAt = now;
                } else if (timeoutMs != Long.MAX_VALUE && now - lastRecordAt >= timeoutMs * 1_000_000L) {
                    break;
                }
            }
            spec.commandLine().getErr().println("Processed a total of " + printed + " messages");
            spec.commandLine().getErr().flush();
            return 0;
        }
    }

    private static String text(ByteBuffer bytes) {
        if (bytes == null) {
            return "null";
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return new String(copy, StandardCharsets.UTF_8);
    }

    private static CodecRegistry codecs(PluginRuntime plugins) {
        List<CompressionCodec> codecs = new ArrayList<>();
        for (String name : plugins.names(CompressionCodec.class)) {
            codecs.add(plugins.create(CompressionCodec.class, name, Map.of()));
        }
        return CodecRegistry.of(codecs);
    }

    private FetchRequest fetchRequest(Map<Integer, Long> positions) {
        FetchRequest.FetchTopic fetchTopic = new FetchRequest.FetchTopic().setTopic(topic);
        for (Map.Entry<Integer, Long> position : positions.entrySet()) {
            fetchTopic.partitions().add(new FetchRequest.FetchPartition()
                    .setPartition(position.getKey())
                    .setFetchOffset(position.getValue())
                    .setPartitionMaxBytes(PARTITION_MAX_BYTES));
        }
        return new FetchRequest()
                .setMaxWaitMs(FETCH_MAX_WAIT_MS)
                .setMinBytes(1)
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(List.of(fetchTopic))
                .setForgottenTopicsData(List.of())
                .setRackId("");
    }

    /** The partitions to read, each with the offset to start at. */
    private Map<Integer, Long> startPositions(BrokerRequests connection) throws IOException {
        List<Integer> partitions = new ArrayList<>();
        if (partition != null) {
            partitions.add(partition);
        } else {
            MetadataRequest request = new MetadataRequest()
                    .setTopics(List.of(new MetadataRequest.MetadataRequestTopic().setName(topic)))
                    .setAllowAutoTopicCreation(false);
            MetadataResponse.MetadataResponseTopic t = connection.send(METADATA_VERSION, request,
                    MetadataResponse.class).topics().get(0);
            Errors error = Errors.forCode(t.errorCode());
            if (error != Errors.NONE) {
                throw new IOException("Topic " + topic + " is not available: " + error.defaultMessage());
            }
            t.partitions().forEach(p -> partitions.add(p.partitionIndex()));
        }
        long target;
        if (offset == null || offset.equals("latest")) {
            target = fromBeginning ? EARLIEST : LATEST;
        } else if (offset.equals("earliest")) {
            target = EARLIEST;
        } else {
            target = Long.parseLong(offset);
            if (target < 0) {
                throw new IllegalArgumentException("--offset must be earliest, latest or a non-negative number");
            }
        }
        Map<Integer, Long> positions = new TreeMap<>();
        if (target >= 0) {
            partitions.forEach(p -> positions.put(p, target));
            return positions;
        }
        ListOffsetsRequest.ListOffsetsTopic listTopic = new ListOffsetsRequest.ListOffsetsTopic().setName(topic);
        partitions.forEach(p -> listTopic.partitions().add(new ListOffsetsRequest.ListOffsetsPartition()
                .setPartitionIndex(p)
                .setTimestamp(target)));
        ListOffsetsRequest request = new ListOffsetsRequest()
                .setReplicaId(-1)
                .setIsolationLevel((byte) 0)
                .setTopics(List.of(listTopic));
        ListOffsetsResponse response = connection.send(LIST_OFFSETS_VERSION, request, ListOffsetsResponse.class);
        for (ListOffsetsResponse.ListOffsetsTopicResponse result : response.topics()) {
            for (ListOffsetsResponse.ListOffsetsPartitionResponse p : result.partitions()) {
                Errors error = Errors.forCode(p.errorCode());
                if (error != Errors.NONE) {
                    throw new IOException("Listing offsets of " + topic + "-" + p.partitionIndex()
                            + " failed: " + error + " (" + error.defaultMessage() + ")");
                }
                positions.put(p.partitionIndex(), p.offset());
            }
        }
        return positions;
    }
}
