package io.fjord.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The consumer side of a suite round: one group of the image's own {@code fjord perf consume}
 * processes reading what the round's producers write. The first member starts with the producers,
 * the others one stagger apart while it reads, so each join is a rebalance under load. No member
 * can know its share of the records, so each stops after {@code --timeout} ms without a record
 * (Kafka's flag): the group has then read everything. What it must have read is what the producers
 * report as sent, known only once they are done.
 */
final class PerfSuiteConsumers implements AutoCloseable {

    /** The group's side of a round; {@link #NONE} when the round had no consumers. */
    record Consumption(int consumers, long records, long bytes, double mibPerSec, long rebalanceMs, long cpuMs,
                       long peakRssBytes) {
        static final Consumption NONE = new Consumption(0, 0, 0, 0, 0, 0, 0);
    }

    // ISO-8601 with the offset, so the times parse back whatever the machine's zone.
    private static final String DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    private static final Pattern TOTALS = Pattern.compile(
            "^(\\S+), (\\S+), ([\\d.]+), [\\d.]+, (\\d+), [\\d.]+, (\\d+), -?\\d+, ");
    private static final Pattern USAGE = Pattern.compile("resource usage: cpu.ms=(-?\\d+) peak.rss.bytes=(-?\\d+)");
    private static final double MIB = 1024.0 * 1024.0;

    private final PerfSuite.Workload workload;
    private final Path image;
    private final List<String> args;
    private final Path config;
    private final List<ImageProcess> members = new ArrayList<>();
    private final long stopCount;
    private long nextJoinNs;

    private PerfSuiteConsumers(PerfSuite.Workload workload, Path image, List<String> args, Path config, long stopCount) {
        this.workload = workload;
        this.image = image;
        this.args = args;
        this.config = config;
        this.stopCount = stopCount;
    }

    /**
     * Starts the group's first member; {@code config} is where its consumer settings go: the
     * mix's, over auto-commit, so a partition that moves goes on from where its last owner was. A
     * member that reads {@code stopCount} records alone stops there (perf consume's --messages).
     */
    static PerfSuiteConsumers start(PerfSuite.Workload workload, Path image, String bootstrap, String topic, String group,
                                    Map<String, String> mixSettings, Path config, long stopCount) throws IOException {
        Map<String, String> props = new TreeMap<>(Map.of("enable.auto.commit", "true"));
        props.putAll(mixSettings);
        Properties file = new Properties();
        file.putAll(props);
        try (Writer out = Files.newBufferedWriter(config)) {
            file.store(out, "consumer settings of the mix");
        }
        List<String> args = List.of("perf", "consume", "--bootstrap-server", bootstrap, "--topic", topic,
                "--group", group, "--messages", Long.toString(stopCount), "--timeout", Long.toString(workload.consumerTimeoutMs()),
                "--consumer.config", config.toString(), "--date-format", DATE_FORMAT, "--print-resource-usage");
        PerfSuiteConsumers consumers = new PerfSuiteConsumers(workload, image, args, config, stopCount);
        consumers.join();
        return consumers;
    }

    /** Starts the other members, each one stagger after the one before. */
    void joinTheRest() throws IOException, InterruptedException {
        while (members.size() < workload.consumers()) {
            long waitNs = nextJoinNs - System.nanoTime();
            if (waitNs > 0) {
                Thread.sleep(waitNs / 1_000_000, (int) (waitNs % 1_000_000));
            }
            join();
        }
    }

    private void join() throws IOException {
        members.add(ImageProcess.start(image, "-Xmx512M", args));
        nextJoinNs = System.nanoTime() + workload.consumerStaggerMs() * 1_000_000;
    }

    /**
     * Waits for every member and sums the group up: MiB/s is all it read over the time from the
     * first member's start to the last record read (a member's end less its idle timeout), the
     * rebalance time the longest any member held no partition. A group that read fewer records
     * than the producers sent ({@code expected}) fails the round: its figures would be of a shorter run.
     */
    Consumption await(long timeoutMs, long expected) throws ImageException, InterruptedException {
        List<List<String>> outputs = ImageProcess.awaitAll(members, timeoutMs, "consumer");
        long firstStartMs = Long.MAX_VALUE;
        long lastRecordMs = 0;
        long records = 0;
        double mib = 0;
        long rebalanceMs = 0;
        long cpuMs = 0;
        long peakRss = 0;
        for (List<String> out : outputs) {
            Matcher totals = find(TOTALS, out, "totals");
            Matcher usage = find(USAGE, out, "resource usage");
            long read = Long.parseLong(totals.group(4));
            long endMs = epochMs(totals.group(2));
            firstStartMs = Math.min(firstStartMs, epochMs(totals.group(1)));
            if (read > 0) {
                lastRecordMs = Math.max(lastRecordMs, read >= stopCount ? endMs : endMs - workload.consumerTimeoutMs());
            }
            records += read;
            mib += Double.parseDouble(totals.group(3));
            rebalanceMs = Math.max(rebalanceMs, Long.parseLong(totals.group(5)));
            cpuMs += Long.parseLong(usage.group(1));
            peakRss = Math.max(peakRss, Long.parseLong(usage.group(2)));
        }
        if (records < expected) {
            // A member that waits longer than the timeout (for a join, or a rebalance) stops early.
            throw new ImageException("the consumers read " + records + " of " + expected + " records: each stops after "
                    + workload.consumerTimeoutMs() + " ms without a record (--consumer-timeout-ms)");
        }
        double seconds = Math.max(1e-3, (lastRecordMs - firstStartMs) / 1000.0);
        return new Consumption(members.size(), records, Math.round(mib * MIB), records == 0 ? 0 : mib / seconds,
                rebalanceMs, cpuMs, peakRss);
    }

    private static long epochMs(String time) {
        return OffsetDateTime.parse(time).toInstant().toEpochMilli();
    }

    private static Matcher find(Pattern pattern, List<String> out, String what) throws ImageException {
        for (String line : out) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new ImageException("a consumer printed no " + what + " line: " + String.join(" | ", out));
    }

    /** Stops members still running (a failed round) and removes the settings file. */
    @Override
    public void close() throws InterruptedException, IOException {
        for (ImageProcess member : members) {
            member.close();
        }
        Files.deleteIfExists(config);
    }
}
