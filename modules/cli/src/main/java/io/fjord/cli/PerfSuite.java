package io.fjord.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs one workload against each mix: builds the mix's image (mixes with the same modules and
 * plugins share one; a mix may also name an image built before), then in each round, for each mix in turn (rounds alternate the mixes, so a
 * slow minute of the machine does not land on one mix only), starts the image's broker on
 * loopback with fresh data, drives it with the image's own {@code fjord perf produce} processes,
 * reads along with a group of its {@code fjord perf consume} processes if asked (see
 * {@link PerfSuiteConsumers}), and measures every side. A mix that fails to build or start is
 * recorded with its reason and the others go on.
 */
final class PerfSuite {

    /**
     * The load: what each round of each mix does. Each producer sends its share of {@code records},
     * or, when {@code durationMs} is above 0, sends for that long whatever it can.
     */
    record Workload(long records, long durationMs, int recordSize, int partitions, int producers, int consumers,
                    long consumerStaggerMs, long consumerTimeoutMs, String acks, int keyCount, int rounds) {
        boolean timed() {
            return durationMs > 0;
        }
    }

    /**
     * One round of one mix, as measured; {@code failure} is null when it ran. {@code durationMs}
     * is the workload's (0 for a record count), {@code recordsSent} what the producers' summaries count.
     */
    record Round(String mix, int round, long durationMs, double recordsPerSec, double mibPerSec, double p50Ms,
                 double p99Ms, double avgMs, long brokerCpuMs, long clientCpuMs, long brokerRssBytes,
                 long clientRssBytes, long diskBytes, long imageBytes, long recordsSent, long bytesSent,
                 PerfSuiteConsumers.Consumption consumption, String failure) {
    }

    /** What the producers of a round report in their summaries, summed (rates) or at their worst (latencies). */
    private record Produced(long records, double recordsPerSec, double mibPerSec, double p50Ms, double p99Ms,
                            double avgMs, long cpuMs, long peakRssBytes) {
    }

    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), "
            + "([\\d.]+) ms avg latency, [\\d.]+ ms max latency, (\\d+) ms 50th, \\d+ ms 95th, (\\d+) ms 99th");
    private static final Pattern USAGE = Pattern.compile("resource usage: cpu.ms=(-?\\d+) peak.rss.bytes=(-?\\d+)");
    private static final String TOPIC = "perf";
    private static final long START_TIMEOUT_MS = 60_000;
    private static final long PRODUCE_TIMEOUT_MS = 600_000;

    private final Workload workload;
    private final Path output;
    private final Path modulePath;
    private final Path jdk;
    private final PrintWriter progress;

    PerfSuite(Workload workload, Path output, Path modulePath, Path jdk, PrintWriter progress) {
        this.workload = workload;
        this.output = output;
        this.modulePath = modulePath;
        this.jdk = jdk;
        this.progress = progress;
    }

    /** Runs every mix and returns every round, failed ones included, in the order they ran. */
    List<Round> run(List<PerfMix> mixes) throws IOException, InterruptedException {
        Map<String, String> imageFailures = new LinkedHashMap<>();
        Map<String, ImageBuilder.Built> images = new LinkedHashMap<>();
        for (PerfMix mix : mixes) {
            progress("building the image of mix " + mix.name());
            try {
                images.put(mix.name(), image(mix));
            } catch (ImageException e) {
                imageFailures.put(mix.name(), "image: " + e.getMessage());
            }
        }
        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= workload.rounds(); r++) {
            for (int m = 0; m < mixes.size(); m++) {
                PerfMix mix = mixes.get(m);
                if (imageFailures.containsKey(mix.name())) {
                    if (r == 1) {
                        rounds.add(failed(mix, r, imageFailures.get(mix.name())));
                    }
                    continue;
                }
                progress("round " + r + "/" + workload.rounds() + ", mix " + mix.name() + " (" + (m + 1) + "/" + mixes.size() + ")"
                        + (workload.timed() ? ", producing for " + workload.durationMs() + " ms" : ""));
                try {
                    rounds.add(round(mix, r, images.get(mix.name())));
                } catch (ImageException e) {
                    rounds.add(failed(mix, r, e.getMessage()));
                }
            }
        }
        if (System.console() != null) {
            progress.println();
        }
        progress.flush();
        return rounds;
    }

    private ImageBuilder.Built image(PerfMix mix) throws ImageException, IOException {
        if (mix.image() != null) {
            if (!Files.isRegularFile(mix.image().resolve("bin/fjord"))) {
                throw new ImageException("no image at " + mix.image() + " (no bin/fjord)");
            }
            return new ImageBuilder.Built(mix.image(), ImageBuilder.sizeOf(mix.image()), Jlink.modulesOf(mix.image()));
        }
        Path dir = output.resolve("images").resolve(hash(mix.imageKey()));
        ImageBuilder.Request request = new ImageBuilder.Request(dir, modulePath, new LinkedHashSet<>(mix.modules()),
                Set.copyOf(mix.without()), mix.plugins(), mix.allSettings(), jdk);
        if (Files.isRegularFile(dir.resolve("bin/fjord"))) {
            ImageBuilder.plan(request);
            return new ImageBuilder.Built(dir, ImageBuilder.sizeOf(dir), Jlink.modulesOf(dir));
        }
        return ImageBuilder.build(request);
    }

    private Round round(PerfMix mix, int round, ImageBuilder.Built image) throws ImageException, InterruptedException, IOException {
        Path data = output.resolve("runs").resolve(mix.name() + "-" + round);
        deleteTree(data);
        try {
            return round(mix, round, image, data);
        } finally {
            // Measured: the records are of no further use, and a suite writes many of them.
            deleteTree(data);
        }
    }

    private Round round(PerfMix mix, int round, ImageBuilder.Built image, Path data)
            throws ImageException, InterruptedException, IOException {
        // A new group's first join does not wait for more members, so the consumers' stagger alone
        // decides when the rebalances come (a mix may set it back).
        List<String> brokerArgs = new ArrayList<>(List.of("broker",
                "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override", "log.dirs=" + data,
                "--override", "group.initial.rebalance.delay.ms=0"));
        mix.broker().forEach((k, v) -> brokerArgs.addAll(List.of("--override", k + "=" + v)));
        try (ImageProcess broker = ImageProcess.start(image.output(), null, brokerArgs)) {
            String bootstrap = "127.0.0.1:" + broker.awaitBrokerPort(START_TIMEOUT_MS);
            ImageProcess.start(image.output(), null, List.of("topics", "--bootstrap-server", bootstrap, "--create",
                    "--topic", TOPIC, "--partitions", Integer.toString(workload.partitions()))).awaitExit(START_TIMEOUT_MS);
            long brokerCpuBefore = ProcessStats.cpuMillis(broker.handle());
            long perProducer = workload.records() / workload.producers();
            // Timed, no member can stop at a count: each stops once idle for its timeout.
            long consumerStopCount = workload.timed() ? Long.MAX_VALUE : perProducer * workload.producers();
            try (PerfSuiteConsumers consumers = workload.consumers() == 0 ? null : PerfSuiteConsumers.start(workload,
                    image.output(), bootstrap, TOPIC, "perf-suite-" + mix.name() + "-" + round + "-" + System.nanoTime(),
                    mix.consumer(), data.resolveSibling(data.getFileName() + "-consumer.properties"), consumerStopCount)) {
                List<ImageProcess> producers = new ArrayList<>();
                for (int p = 0; p < workload.producers(); p++) {
                    producers.add(ImageProcess.start(image.output(), "-Xmx512M", produceArgs(mix, bootstrap, perProducer)));
                }
                if (consumers != null) {
                    consumers.joinTheRest();
                }
                Produced produced = produced(ImageProcess.awaitAll(producers,
                        PRODUCE_TIMEOUT_MS + workload.durationMs(), "producer"));
                // The group must read what the producers say was acknowledged, whatever was asked of them.
                PerfSuiteConsumers.Consumption consumption = consumers == null ? PerfSuiteConsumers.Consumption.NONE
                        : consumers.await(PRODUCE_TIMEOUT_MS, produced.records());
                long brokerCpu = ProcessStats.cpuMillis(broker.handle()) - brokerCpuBefore;
                long brokerRss = ProcessStats.peakRssBytes(broker.handle().pid());
                long disk = logBytes(data);
                return new Round(mix.name(), round, workload.durationMs(), produced.recordsPerSec(), produced.mibPerSec(),
                        produced.p50Ms(), produced.p99Ms(), produced.avgMs(), brokerCpu, produced.cpuMs(), brokerRss,
                        produced.peakRssBytes(), disk, image.bytes(), produced.records(),
                        produced.records() * workload.recordSize(), consumption, null);
            }
        }
    }

    private List<String> produceArgs(PerfMix mix, String bootstrap, long records) {
        List<String> args = new ArrayList<>(List.of("perf", "produce", "--topic", TOPIC,
                workload.timed() ? "--duration-ms" : "--num-records",
                Long.toString(workload.timed() ? workload.durationMs() : records),
                "--record-size", Integer.toString(workload.recordSize()),
                "--throughput", "-1", "--key-count", Integer.toString(workload.keyCount()), "--print-resource-usage",
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=" + workload.acks()));
        mix.producer().forEach((k, v) -> args.add(k + "=" + v));
        return args;
    }

    private static Produced produced(List<List<String>> outputs) throws ImageException {
        long records = 0;
        double recordsPerSec = 0;
        double mibPerSec = 0;
        double p50 = 0;
        double p99 = 0;
        double avg = 0;
        long clientCpu = 0;
        long clientRss = 0;
        for (List<String> out : outputs) {
            Matcher summary = find(SUMMARY, out, "summary");
            Matcher usage = find(USAGE, out, "resource usage");
            records += Long.parseLong(summary.group(1));
            recordsPerSec += Double.parseDouble(summary.group(2));
            mibPerSec += Double.parseDouble(summary.group(3));
            avg = Math.max(avg, Double.parseDouble(summary.group(4)));
            p50 = Math.max(p50, Double.parseDouble(summary.group(5)));
            p99 = Math.max(p99, Double.parseDouble(summary.group(6)));
            clientCpu += Long.parseLong(usage.group(1));
            clientRss = Math.max(clientRss, Long.parseLong(usage.group(2)));
        }
        return new Produced(records, recordsPerSec, mibPerSec, p50, p99, avg, clientCpu, clientRss);
    }

    private static Matcher find(Pattern pattern, List<String> out, String what) throws ImageException {
        for (String line : out) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new ImageException("the producer printed no " + what + " line: " + String.join(" | ", out));
    }

    private Round failed(PerfMix mix, int round, String reason) {
        return new Round(mix.name(), round, workload.durationMs(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                PerfSuiteConsumers.Consumption.NONE, reason);
    }

    /** One line that rewrites itself on a terminal; one line per step into a file or pipe. */
    private void progress(String what) {
        if (System.console() != null) {
            progress.print("\r\033[K[fjord perf suite] " + what);
        } else {
            progress.println("[fjord perf suite] " + what);
        }
        progress.flush();
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required algorithm", e);
        }
    }

    /** The bytes of the log segments: the indexes are preallocated, so their sizes say nothing. */
    private static long logBytes(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            long total = 0;
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
