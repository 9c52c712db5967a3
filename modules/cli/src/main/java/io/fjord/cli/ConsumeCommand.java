package io.fjord.cli;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.kernel.PluginRuntime;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchIterator;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;
import io.fjord.protocol.schema.Struct;
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
        try (PluginRuntime plugins = PluginRuntime.discover(null);
             BrokerConnection connection = BrokerConnection.open(bootstrapServer, SOCKET_TIMEOUT_MS)) {
            CodecRegistry codecs = codecs(plugins);
            Map<Integer, Long> positions = startPositions(connection);
            long printed = 0;
            long lastRecordAt = System.nanoTime();
            while (printed < maxMessages) {
                Struct response = connection.send(ApiKeys.FETCH, FETCH_VERSION, fetchRequest(positions));
                int before = (int) Math.min(Integer.MAX_VALUE, printed);
                for (Struct t : response.getStructArray("responses")) {
                    for (Struct p : t.getStructArray("partitions")) {
                        Errors error = Errors.forCode(p.getShort("error_code"));
                        if (error != Errors.NONE) {
                            throw new IOException("Fetching " + topic + "-" + p.getInt("partition_index")
                                    + " failed: " + error + " (" + error.defaultMessage() + ")");
                        }
                        int index = p.getInt("partition_index");
                        long position = positions.get(index);
                        RecordBatchIterator batches = new RecordBatchIterator(p.getRecords("records"));
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

    private Struct fetchRequest(Map<Integer, Long> positions) {
        Struct request = MessageCodec.newRequest(ApiKeys.FETCH);
        request.set("max_wait_ms", FETCH_MAX_WAIT_MS);
        request.set("min_bytes", 1);
        request.set("isolation_level", (byte) 0);
        request.set("session_id", 0);
        request.set("session_epoch", -1);
        Struct t = request.addElement("topics");
        t.set("topic", topic);
        for (Map.Entry<Integer, Long> position : positions.entrySet()) {
            t.addElement("partitions").set("partition", position.getKey()).set("fetch_offset", position.getValue())
                    .set("partition_max_bytes", PARTITION_MAX_BYTES);
        }
        request.set("forgotten_topics_data", List.of());
        request.set("rack_id", "");
        return request;
    }

    /** The partitions to read, each with the offset to start at. */
    private Map<Integer, Long> startPositions(BrokerConnection connection) throws IOException {
        List<Integer> partitions = new ArrayList<>();
        if (partition != null) {
            partitions.add(partition);
        } else {
            Struct request = MessageCodec.newRequest(ApiKeys.METADATA);
            request.addElement("topics").set("name", topic);
            request.set("allow_auto_topic_creation", false);
            Struct t = connection.send(ApiKeys.METADATA, METADATA_VERSION, request).getStructArray("topics").get(0);
            Errors error = Errors.forCode(t.getShort("error_code"));
            if (error != Errors.NONE) {
                throw new IOException("Topic " + topic + " is not available: " + error.defaultMessage());
            }
            t.getStructArray("partitions").forEach(p -> partitions.add(p.getInt("partition_index")));
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
        Struct request = MessageCodec.newRequest(ApiKeys.LIST_OFFSETS);
        request.set("replica_id", -1);
        request.set("isolation_level", (byte) 0);
        Struct t = request.addElement("topics");
        t.set("name", topic);
        partitions.forEach(p -> t.addElement("partitions").set("partition_index", p).set("timestamp", target));
        for (Struct result : connection.send(ApiKeys.LIST_OFFSETS, LIST_OFFSETS_VERSION, request)
                .getStructArray("topics")) {
            for (Struct p : result.getStructArray("partitions")) {
                Errors error = Errors.forCode(p.getShort("error_code"));
                if (error != Errors.NONE) {
                    throw new IOException("Listing offsets of " + topic + "-" + p.getInt("partition_index")
                            + " failed: " + error + " (" + error.defaultMessage() + ")");
                }
                positions.put(p.getInt("partition_index"), p.getLong("offset"));
            }
        }
        return positions;
    }
}
