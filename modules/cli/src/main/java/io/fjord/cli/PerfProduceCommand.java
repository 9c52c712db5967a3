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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code fjord perf produce}: Kafka's kafka-producer-perf-test.sh on Fjord's producer, with its
 * flags and its output (a line per 5-second window, then the totals with latency percentiles),
 * so the two producers can be compared run for run. Every record carries the same random payload
 * of upper-case letters, as Kafka's tool sends. Beyond Kafka's flags, {@code --duration-ms} sends
 * for a time rather than a count (with both, whichever ends first).
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Measure producer throughput and latency (as kafka-producer-perf-test.sh).")
public final class PerfProduceCommand implements Callable<Integer> {

    private static final long WINDOW_NS = 5_000_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "T")
    String topic;

    @Option(names = "--num-records", paramLabel = "N",
            description = "Records to send. With --duration-ms too, the run stops at whichever ends first.")
    Long numRecords;

    @Option(names = "--duration-ms", paramLabel = "MS",
            description = "Send for MS milliseconds (not a flag of Kafka's tool), then flush; the totals count the "
                    + "records acknowledged. With --num-records too, the run stops at whichever ends first.")
    Long durationMs;

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
        if (numRecords == null && durationMs == null) {
            throw new IllegalArgumentException("give --num-records, --duration-ms or both");
        }
        if ((numRecords != null && numRecords <= 0) || (durationMs != null && durationMs <= 0) || recordSize <= 0) {
            throw new IllegalArgumentException("--num-records, --duration-ms and --record-size must be positive");
        }
        long maxRecords = numRecords != null ? numRecords : Long.MAX_VALUE;
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
        Stats stats = new Stats(recordSize, out);
        try (FjordProducer<byte[], byte[]> producer = new FjordProducer<>(config)) {
            long startNs = System.nanoTime();
            // Without a duration (or with a huge one) the end is so far off that it never comes.
            long runNs = durationMs != null ? TimeUnit.MILLISECONDS.toNanos(durationMs) : Long.MAX_VALUE;
            long endNs = startNs + Math.min(runNs, Long.MAX_VALUE / 2);
            for (long i = 0; i < maxRecords; i++) {
                long sendNs = System.nanoTime();
                if (sendNs - endNs >= 0) {
                    break;
                }
                byte[] key = keyCount == 0 ? null : keys[random.nextInt(keyCount)];
                producer.send(new ProducerRecord<>(topic, key, payload), stats.callback(sendNs));
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

    /**
     * Latencies of every acknowledged record and the running window, printed like Kafka's tool
     * prints them. Latencies are whole milliseconds, so a count per millisecond gives the same
     * percentiles as sorting them all, in memory that does not grow with the records sent.
     */
    private static final class Stats {
        private long[] countsByLatencyMs = new long[1024];
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

        Stats(int recordSize, PrintWriter out) {
            this.recordSize = recordSize;
            this.out = out;
        }

        Callback callback(long sendNs) {
            return (metadata, exception) -> record(sendNs, exception);
        }

        // Callbacks run on the producer's sender thread, one at a time.
        private void record(long sendNs, Exception exception) {
            long nowNs = System.nanoTime();
            if (exception != null) {
                if (errors.getAndIncrement() == 0) {
                    out.println("Error when sending a record: " + exception.getMessage());
                }
                return;
            }
            int latencyMs = (int) ((nowNs - sendNs) / 1_000_000);
            if (latencyMs >= countsByLatencyMs.length) {
                // Rare: only a latency longer than any before grows the table.
                int size = Math.max(latencyMs + 1, 2 * countsByLatencyMs.length);
                countsByLatencyMs = Arrays.copyOf(countsByLatencyMs, size);
            }
            countsByLatencyMs[latencyMs]++;
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
            out.printf("%d records sent, %f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency, "
                            + "%d ms 50th, %d ms 95th, %d ms 99th, %d ms 99.9th.%n",
                    count, count / seconds, count * (double) recordSize / seconds / (1024 * 1024),
                    count == 0 ? 0.0 : totalLatencyMs / (double) count, (double) maxLatencyMs,
                    percentile(0.5), percentile(0.95), percentile(0.99), percentile(0.999));
        }

        /** The latency at index {@code p * count} of all of them sorted. */
        private int percentile(double p) {
            if (count == 0) {
                return 0;
            }
            long index = Math.min(count - 1, (long) (p * count));
            long seen = 0;
            for (int ms = 0; ms < countsByLatencyMs.length; ms++) {
                seen += countsByLatencyMs[ms];
                if (seen > index) {
                    return ms;
                }
            }
            return countsByLatencyMs.length - 1;
        }
    }
}
