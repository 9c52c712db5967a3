package io.fjord.cli;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.api.consumer.ConsumerRecords;
import io.fjord.client.consumer.ConsumerRebalanceListener;
import io.fjord.client.consumer.FjordConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code fjord perf consume}: Kafka's kafka-consumer-perf-test.sh on Fjord's consumer, with its
 * flags and its output (the header, then one line of totals: start and end time, MB and records
 * consumed and per second, rebalance time, fetch time and the rates over it), so the two consumers
 * can be compared run for run.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Measure consumer throughput (as kafka-consumer-perf-test.sh).")
public final class PerfConsumeCommand implements Callable<Integer> {

    private static final String HEADER = "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, "
            + "nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec";

    @Spec
    CommandSpec spec;

    @Option(names = "--bootstrap-server", required = true, paramLabel = "host:port")
    String bootstrapServer;

    @Option(names = "--topic", required = true, paramLabel = "T")
    String topic;

    @Option(names = "--messages", required = true, paramLabel = "N")
    long messages;

    @Option(names = "--group", paramLabel = "G")
    String group = "perf-consumer-" + (int) (Math.random() * 100_000);

    @Option(names = "--fetch-size", paramLabel = "BYTES")
    Integer fetchSize;

    @Option(names = "--from-latest")
    boolean fromLatest;

    @Option(names = "--timeout", paramLabel = "MS", description = "The most time between two records (10 s).")
    long timeoutMs = 10_000;

    @Option(names = "--consumer.config", paramLabel = "FILE")
    Path consumerConfig;

    @Option(names = "--hide-header")
    boolean hideHeader;

    @Option(names = "--date-format", paramLabel = "FORMAT")
    String dateFormat = "yyyy-MM-dd HH:mm:ss:SSS";

    @Option(names = "--print-metrics", description = "Print the consumer's metrics at the end.")
    boolean printMetrics;

    @Option(names = "--print-resource-usage",
            description = "Print this process's CPU time and peak resident memory at the end (for fjord perf suite).")
    boolean printResourceUsage;

    @Override
    public Integer call() throws IOException {
        if (messages <= 0) {
            throw new IllegalArgumentException("--messages must be positive");
        }
        Map<String, Object> config = new HashMap<>();
        if (consumerConfig != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(consumerConfig)) {
                file.load(reader);
            }
            file.forEach((k, v) -> config.put(k.toString(), v.toString()));
        }
        config.put("bootstrap.servers", bootstrapServer);
        // The installation's plugins (a codec such as snappy, an assignor) unless the properties say.
        config.putIfAbsent("plugin.path", FjordHome.pluginsFolder().toString());
        // Keys and values as read-only views of the fetched bytes, no copy.
        config.put("key.deserializer", "bytes");
        config.put("value.deserializer", "bytes");
        config.put("group.id", group);
        config.putIfAbsent("enable.auto.commit", "false");
        config.put("auto.offset.reset", fromLatest ? "latest" : "earliest");
        if (fetchSize != null) {
            config.put("max.partition.fetch.bytes", fetchSize.toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        long records = 0;
        long bytes = 0;
        long startMs;
        long endMs;
        RebalanceClock rebalances;
        Map<String, Double> metrics;
        try (FjordConsumer<ByteBuffer, ByteBuffer> consumer = new FjordConsumer<>(config)) {
            // As Kafka's tool: the clock starts once the consumer exists, before it joins.
            startMs = System.currentTimeMillis();
            rebalances = new RebalanceClock(startMs);
            consumer.subscribe(List.of(topic), rebalances);
            long lastRecordMs = System.currentTimeMillis();
            while (records < messages && System.currentTimeMillis() - lastRecordMs <= timeoutMs) {
                ConsumerRecords<ByteBuffer, ByteBuffer> polled = consumer.poll(Duration.ofMillis(100));
                if (!polled.isEmpty()) {
                    lastRecordMs = System.currentTimeMillis();
                }
                for (ConsumerRecord<ByteBuffer, ByteBuffer> r : polled) {
                    records++;
                    bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                }
            }
            // As Kafka's tool: the end is before the close (and its leave of the group).
            endMs = System.currentTimeMillis();
            metrics = printMetrics ? new TreeMap<>(consumer.metrics()) : Map.of();
        }
        if (records < messages) {
            spec.commandLine().getErr().println("WARNING: Exiting before consuming the expected number of messages: "
                    + "timeout (" + timeoutMs + " ms) exceeded. You can use the --timeout option to increase the timeout.");
        }
        double mb = bytes / (1024.0 * 1024.0);
        double seconds = Math.max(1e-3, (endMs - startMs) / 1000.0);
        long rebalanceMs = rebalances.totalMs();
        double fetchSeconds = Math.max(1e-3, (endMs - startMs - rebalanceMs) / 1000.0);
        SimpleDateFormat format = new SimpleDateFormat(dateFormat);
        if (!hideHeader) {
            out.println(HEADER);
        }
        out.printf("%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f%n", format.format(new Date(startMs)),
                format.format(new Date(endMs)), mb, mb / seconds, records, records / seconds, rebalanceMs,
                endMs - startMs - rebalanceMs, mb / fetchSeconds, records / fetchSeconds);
        metrics.forEach((name, value) -> out.printf("%-50s : %.3f%n", name, value));
        if (printResourceUsage) {
            out.println("resource usage: cpu.ms=" + ProcessStats.cpuMillis(ProcessHandle.current())
                    + " peak.rss.bytes=" + ProcessStats.peakRssBytes(ProcessHandle.current().pid()));
        }
        out.flush();
        return 0;
    }

    /**
     * rebalance.time.ms as Kafka's tool counts it: the time this member held no partition, from
     * the start (or from losing its last partition) until partitions are assigned again. A
     * cooperative rebalance that leaves the member some partitions costs it nothing here.
     */
    private static final class RebalanceClock implements ConsumerRebalanceListener {
        private final Set<TopicPartition> owned = new HashSet<>();
        private long withoutPartitionsSinceMs;
        private long totalMs;

        RebalanceClock(long startMs) {
            this.withoutPartitionsSinceMs = startMs;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            if (owned.isEmpty()) {
                withoutPartitionsSinceMs = System.currentTimeMillis();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (owned.isEmpty()) {
                totalMs += System.currentTimeMillis() - withoutPartitionsSinceMs;
            }
            owned.addAll(partitions);
        }

        long totalMs() {
            return totalMs;
        }
    }
}
