package io.fjord.cli;

import io.fjord.api.Header;
import io.fjord.api.TimestampType;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.api.PartitionInfo;
import io.fjord.client.consumer.FjordConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code fjord consume}: prints records as Kafka's kafka-console-consumer.sh does, on Fjord's
 * consumer: as a member of {@code --group} (committing as it goes), or without a group over every
 * partition of the topic (or the one given). Stops after {@code --max-messages} records or when
 * none arrives for {@code --timeout-ms}. The formatter properties are Kafka's
 * DefaultMessageFormatter's: {@code print.timestamp}, {@code print.partition}, {@code
 * print.offset}, {@code print.headers}, {@code print.key}, {@code print.value}, {@code
 * key.separator}, {@code line.separator}, {@code headers.separator}, {@code null.literal}.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Print the records of a topic (as kafka-console-consumer.sh).")
public final class ConsumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @Option(names = "--topic", paramLabel = "T")
    String topic;

    @Option(names = "--include", paramLabel = "REGEX", description = "Topics to consume, as a regular expression (needs --group or makes one).")
    String include;

    @Option(names = "--group", paramLabel = "G", description = "Consume as a member of this group.")
    String group;

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

    @Option(names = "--isolation-level", paramLabel = "read_uncommitted|read_committed")
    String isolationLevel = "read_uncommitted";

    @Option(names = "--property", paramLabel = "k=v", description = "Formatter properties, as Kafka's DefaultMessageFormatter.")
    Map<String, String> properties = new TreeMap<>();

    @Option(names = "--consumer-property", paramLabel = "k=v", description = "Consumer settings.")
    Map<String, String> consumerProperties = new TreeMap<>();

    @Override
    public Integer call() {
        if ((topic == null) == (include == null)) {
            throw new IllegalArgumentException("Exactly one of --topic or --include is required");
        }
        if (offset != null && partition == null) {
            throw new IllegalArgumentException("--offset needs --partition");
        }
        if (partition != null && (group != null || include != null)) {
            throw new IllegalArgumentException("--partition cannot be used with --group or --include");
        }
        Map<String, Object> config = new HashMap<>(consumerProperties);
        config.put("bootstrap.servers", bootstrapServer);
        // Keys and values as read-only views of the fetched bytes, no copy.
        config.put("key.deserializer", "bytes");
        config.put("value.deserializer", "bytes");
        config.put("isolation.level", isolationLevel);
        config.putIfAbsent("client.id", "fjord-console-consumer");
        // Codecs installed as plugins (snappy) read as the broker's do.
        config.putIfAbsent("plugin.path", FjordHome.pluginsFolder().toString());
        config.put("auto.offset.reset", fromBeginning ? "earliest" : "latest");
        if (include != null && group == null) {
            group = "console-consumer-" + (int) (Math.random() * 100_000);
        }
        if (group != null) {
            config.put("group.id", group);
            // Commits cover what was printed, not what was fetched beyond --max-messages.
            config.putIfAbsent("enable.auto.commit", "false");
        }
        RecordFormatter formatter = new RecordFormatter(properties);
        PrintWriter out = spec.commandLine().getOut();
        long printed = 0;
        try (FjordConsumer<ByteBuffer, ByteBuffer> consumer = new FjordConsumer<>(config)) {
            if (group != null) {
                if (include != null) {
                    consumer.subscribe(Pattern.compile(include));
                } else {
                    consumer.subscribe(List.of(topic));
                }
            } else {
                assign(consumer);
            }
            long lastRecordAt = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
            while (printed < maxMessages) {
                int before = (int) Math.min(Integer.MAX_VALUE, printed);
                for (ConsumerRecord<ByteBuffer, ByteBuffer> record : consumer.poll(Duration.ofMillis(200))) {
                    if (printed >= maxMessages) {
                        break;
                    }
                    formatter.write(record, out);
                    printed++;
                    done.put(record.topicPartition(), new OffsetAndMetadata(record.offset() + 1));
                }
                out.flush();
                if (group != null && !done.isEmpty()) {
                    consumer.commitAsync(Map.copyOf(done), null);
                }
                long now = System.nanoTime();
                if (printed > before) {
                    lastRecordAt = now;
                } else if (timeoutMs != Long.MAX_VALUE && now - lastRecordAt >= timeoutMs * 1_000_000L) {
                    break;
                }
            }
            if (group != null && !done.isEmpty()) {
                consumer.commitSync(done);
            }
        }
        spec.commandLine().getErr().println("Processed a total of " + printed + " messages");
        spec.commandLine().getErr().flush();
        return 0;
    }

    private void assign(FjordConsumer<ByteBuffer, ByteBuffer> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        if (partition != null) {
            partitions.add(new TopicPartition(topic, partition));
        } else {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos.isEmpty()) {
                throw new IllegalArgumentException("Topic " + topic + " is not available");
            }
            infos.forEach(p -> partitions.add(p.topicPartition()));
        }
        consumer.assign(partitions);
        if (offset == null || offset.equals("latest")) {
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
        } else if (offset.equals("earliest")) {
            consumer.seekToBeginning(partitions);
        } else {
            long target = Long.parseLong(offset);
            if (target < 0) {
                throw new IllegalArgumentException("--offset must be earliest, latest or a non-negative number");
            }
            partitions.forEach(tp -> consumer.seek(tp, target));
        }
    }

    /** Kafka's DefaultMessageFormatter: the columns asked for, in its order, then the line separator. */
    static final class RecordFormatter {
        private final boolean printTimestamp;
        private final boolean printPartition;
        private final boolean printOffset;
        private final boolean printHeaders;
        private final boolean printKey;
        private final boolean printValue;
        private final String keySeparator;
        private final String lineSeparator;
        private final String headersSeparator;
        private final String nullLiteral;

        RecordFormatter(Map<String, String> p) {
            printTimestamp = Boolean.parseBoolean(p.getOrDefault("print.timestamp", "false"));
            printPartition = Boolean.parseBoolean(p.getOrDefault("print.partition", "false"));
            printOffset = Boolean.parseBoolean(p.getOrDefault("print.offset", "false"));
            printHeaders = Boolean.parseBoolean(p.getOrDefault("print.headers", "false"));
            printKey = Boolean.parseBoolean(p.getOrDefault("print.key", "false"));
            printValue = Boolean.parseBoolean(p.getOrDefault("print.value", "true"));
            keySeparator = unescape(p.getOrDefault("key.separator", "\t"));
            lineSeparator = unescape(p.getOrDefault("line.separator", "\n"));
            headersSeparator = unescape(p.getOrDefault("headers.separator", ","));
            nullLiteral = p.getOrDefault("null.literal", "null");
        }

        private static String unescape(String s) {
            return s.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r");
        }

        void write(ConsumerRecord<ByteBuffer, ByteBuffer> r, PrintWriter out) {
            StringBuilder line = new StringBuilder();
            if (printTimestamp) {
                line.append(r.timestampType() == TimestampType.NO_TIMESTAMP_TYPE ? "NO_TIMESTAMP"
                        : r.timestampType().configName + ":" + r.timestamp());
                separator(line, printPartition || printOffset || printHeaders || printKey || printValue);
            }
            if (printPartition) {
                line.append("Partition:").append(r.partition());
                separator(line, printOffset || printHeaders || printKey || printValue);
            }
            if (printOffset) {
                line.append("Offset:").append(r.offset());
                separator(line, printHeaders || printKey || printValue);
            }
            if (printHeaders) {
                List<String> headers = new ArrayList<>();
                for (Header h : r.headers()) {
                    headers.add(h.key() + ":" + (h.value() == null ? nullLiteral
                            : new String(h.value(), StandardCharsets.UTF_8)));
                }
                line.append(headers.isEmpty() ? "NO_HEADERS" : String.join(headersSeparator, headers));
                separator(line, printKey || printValue);
            }
            if (printKey) {
                line.append(text(r.key()));
                separator(line, printValue);
            }
            if (printValue) {
                line.append(text(r.value()));
            }
            line.append(lineSeparator);
            out.print(line);
        }

        private void separator(StringBuilder line, boolean more) {
            if (more) {
                line.append(keySeparator);
            }
        }

        private String text(ByteBuffer bytes) {
            if (bytes == null) {
                return nullLiteral;
            }
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return new String(copy, StandardCharsets.UTF_8);
        }
    }
}
