package io.fjord.cli;

import io.fjord.api.ConfigException;
import io.fjord.api.producer.ProducerRecord;
import io.fjord.client.producer.Callback;
import io.fjord.client.producer.FjordProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code fjord perf produce}: Kafka's kafka-producer-perf-test.sh on Fjord's producer, with its
 * flags and its output (a line per 5-second window, then the totals with latency percentiles),
 * so the two producers can be compared run for run. Every record carries the same random payload
 * of upper-case letters, as Kafka's tool sends.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Measure producer throughput and latency (as kafka-producer-perf-test.sh).")
public final class PerfProduceCommand implements Callable<Integer> {

    private static final long WINDOW_NS = 5_000_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "T")
    String topic;

    @Option(names = "--num-records", required = true, paramLabel = "N")
    long numRecords;

    @Option(names = "--record-size", required = true, paramLabel = "BYTES")
    int recordSize;

    @Option(names = "--throughput", required = true, paramLabel = "RECORDS/S", description = "-1 for no limit.")
    double throughput;

    @Option(names = "--producer-props", arity = "1..*", paramLabel = "k=v")
    List<String> producerProps = new ArrayList<>();

    @Option(names = "--producer.config", paramLabel = "FILE")
    Path producerConfig;

    @Option(names = "--print-metrics", description = "Print the producer's metrics at the end.")
    boolean printMetrics;

    @Option(names = "--key-count", paramLabel = "K",
            description = "Give each record one of K keys (key-0 .. key-K-1) drawn uniformly; 0 (default): no keys.")
    int keyCount;

    @Option(names = "--print-resource-usage",
            description = "Print this process's CPU time and peak resident memory at the end (for fjord perf suite).")
    boolean printResourceUsage;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (numRecords <= 0 || recordSize <= 0 || numRecords > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--num-records and --record-size must be positive");
        }
        Map<String, Object> config = new HashMap<>();
        if (producerConfig != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(producerConfig)) {
                file.load(reader);
            }
            file.forEach((k, v) -> config.put(k.toString(), v.toString()));
        }
        for (String prop : producerProps) {
            int eq = prop.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("Invalid producer property " + prop + ": not key=value");
            }
            config.put(prop.substring(0, eq), prop.substring(eq + 1));
        }
        // The installation's plugins (a codec such as snappy, a partitioner) unless the properties say.
        config.putIfAbsent("plugin.path", FjordHome.pluginsFolder().toString());
        config.putIfAbsent("key.serializer", "byte-array");
        config.putIfAbsent("value.serializer", "byte-array");
        byte[] payload = new byte[recordSize];
        Random random = new Random(0);
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (random.nextInt(26) + 65);
        }
        if (keyCount < 0) {
            throw new IllegalArgumentException("--key-count must be zero or more");
        }
        byte[][] keys = new byte[keyCount][];
        for (int k = 0; k < keyCount; k++) {
            keys[k] = ("key-" + k).getBytes(StandardCharsets.UTF_8);
        }
        Stats stats = new Stats((int) numRecords, recordSize, out);
        try (FjordProducer<byte[], byte[]> producer = new FjordProducer<>(config)) {
            long startNs = System.nanoTime();
            for (int i = 0; i < numRecords; i++) {
                long sendNs = System.nanoTime();
                byte[] key = keyCount == 0 ? null : keys[random.nextInt(keyCount)];
                producer.send(new ProducerRecord<>(topic, key, payload), stats.callback(i, sendNs));
                if (throughput > 0) {
                    throttle(startNs, i + 1);
                }
            }
            producer.flush();
            stats.printTotal();
            if (printMetrics) {
                producer.metrics().forEach((name, value) -> out.printf("%-40s : %.3f%n", name, value));
            }
        }
        if (printResourceUsage) {
            out.println("resource usage: cpu.ms=" + ProcessStats.cpuMillis(ProcessHandle.current())
                    + " peak.rss.bytes=" + ProcessStats.peakRssBytes(ProcessHandle.current().pid()));
        }
        out.flush();
        return stats.errors.get() == 0 ? 0 : 1;
    }

    private void throttle(long startNs, long sent) throws InterruptedException {
        long dueNs = startNs + (long) (sent * 1e9 / throughput);
        long aheadNs = dueNs - System.nanoTime();
        if (aheadNs > 1_000_000) {
            Thread.sleep(aheadNs / 1_000_000);
        }
    }

    /** Latencies of every record and the running window, printed like Kafka's tool prints them. */
    private static final class Stats {
        private final int[] latenciesMs;
        private final int recordSize;
        private final PrintWriter out;
        private final long startNs = System.nanoTime();
        private final AtomicLong errors = new AtomicLong();
        private long count;
        private long totalLatencyMs;
        private int maxLatencyMs;
        private long windowStartNs = startNs;
        private long windowCount;
        private long windowLatencyMs;
        private int windowMaxMs;

        Stats(int records, int recordSize, PrintWriter out) {
            this.latenciesMs = new int[records];
            this.recordSize = recordSize;
            this.out = out;
        }

        Callback callback(int index, long sendNs) {
            return (metadata, exception) -> record(index, sendNs, exception);
        }

        // Callbacks run on the producer's sender thread, one at a time.
        private void record(int index, long sendNs, Exception exception) {
            long nowNs = System.nanoTime();
            if (exception != null) {
                if (errors.getAndIncrement() == 0) {
                    out.println("Error when sending a record: " + exception.getMessage());
                }
                return;
            }
            int latencyMs = (int) ((nowNs - sendNs) / 1_000_000);
            latenciesMs[index] = latencyMs;
            count++;
            totalLatencyMs += latencyMs;
            maxLatencyMs = Math.max(maxLatencyMs, latencyMs);
            windowCount++;
            windowLatencyMs += latencyMs;
            windowMaxMs = Math.max(windowMaxMs, latencyMs);
            if (nowNs - windowStartNs >= WINDOW_NS) {
                double seconds = (nowNs - windowStartNs) / 1e9;
                out.printf("%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.%n",
                        windowCount, windowCount / seconds, windowCount * (double) recordSize / seconds / (1024 * 1024),
                        windowLatencyMs / (double) windowCount, (double) windowMaxMs);
                out.flush();
                windowStartNs = nowNs;
                windowCount = 0;
                windowLatencyMs = 0;
                windowMaxMs = 0;
            }
        }

        synchronized void printTotal() {
            double seconds = (System.nanoTime() - startNs) / 1e9;
            int[] sorted = Arrays.copyOf(latenciesMs, (int) Math.min(latenciesMs.length, count + errors.get()));
            Arrays.sort(sorted);
            out.printf("%d records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, "
                            + "%d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.%n",
                    count, count / seconds, count * (double) recordSize / seconds / (1024 * 1024),
                    count == 0 ? 0.0 : totalLatencyMs / (double) count, (double) maxLatencyMs,
                    percentile(sorted, 0.5), percentile(sorted, 0.95), percentile(sorted, 0.99),
                    percentile(sorted, 0.999));
        }

        private static int percentile(int[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, (long) (p * sorted.length))];
        }
    }
}
