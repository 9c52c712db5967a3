package io.fjord.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** {@code fjord perf suite}: one workload over several mixes of modules, plugins and settings. */
@Command(name = "suite", mixinStandardHelpOptions = true,
        description = {
            "Run a workload against each mix (perf/mixes/*.properties): build the mix's image, start "
                    + "its broker on 127.0.0.1 and drive it with the image's own producer (and, with "
                    + "--consumers, a group of its consumers joining one by one, so each join is a rebalance "
                    + "under load), in rounds that alternate the mixes. Writes report.md, rounds.csv, "
                    + "rounds.json and chart.svg to --output. A mix that fails to build or start is reported "
                    + "with its reason; the others still run."
        })
public final class PerfSuiteCommand implements Callable<Integer> {

    private static final long DEFAULT_RECORDS = 200_000;
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MIX", description = "Mix files, or folders of *.properties mixes.")
    List<Path> mixPaths = new ArrayList<>();

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where the report, images and data go.")
    Path output;

    @Option(names = "--baseline", paramLabel = "MIX", description = "The mix the ratios compare with (default: the first).")
    String baseline;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", description = "Rounds over all mixes (default 3).")
    int rounds;

    @Option(names = "--records", paramLabel = "N",
            description = "Records per round, split among the producers (default 200000). Not with --duration.")
    Long records;

    @Option(names = "--duration", paramLabel = "D",
            description = "Instead of a record count, each producer sends for D per round: a whole number of ms, s or m, "
                    + "such as 500ms, 30s or 2m. The consumers then read what the producers report as sent.")
    String duration;

    @Option(names = "--record-size", defaultValue = "1024", paramLabel = "BYTES", description = "Value size (default 1024).")
    int recordSize;

    @Option(names = "--partitions", defaultValue = "6", paramLabel = "N", description = "Partitions of the topic (default 6).")
    int partitions;

    @Option(names = "--producers", defaultValue = "1", paramLabel = "N", description = "Producer processes (default 1).")
    int producers;

    @Option(names = "--consumers", defaultValue = "0", paramLabel = "N",
            description = "Consumer processes in one group reading what the producers write (default 0).")
    int consumers;

    @Option(names = "--consumer-stagger-ms", defaultValue = "1000", paramLabel = "MS",
            description = "The first consumer starts with the producers, each other one MS later than the one before "
                    + "(default 1000).")
    long consumerStaggerMs;

    @Option(names = "--consumer-timeout-ms", defaultValue = "10000", paramLabel = "MS",
            description = "A consumer stops after MS without a record (perf consume's --timeout; default 10000).")
    long consumerTimeoutMs;

    @Option(names = "--acks", defaultValue = "all", paramLabel = "ACKS", description = "0, 1 or all (default all).")
    String acks;

    @Option(names = "--key-count", defaultValue = "0", paramLabel = "K",
            description = "Keys drawn uniformly from K (default 0: no keys, the sticky partitioner's case).")
    int keyCount;

    @Option(names = "--module-path", paramLabel = "DIR", description = "Module jars (default: modules/ of the installation).")
    Path modulePath;

    @Option(names = "--jdk", paramLabel = "DIR", description = "The JDK whose jlink links the images.")
    Path jdk;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (records != null && duration != null) {
            err.println("fjord perf suite: give --records or --duration, not both");
            return 1;
        }
        long durationMs = duration == null ? 0 : durationMs(duration);
        if (duration != null && durationMs <= 0) {
            err.println("fjord perf suite: --duration must be a positive whole number of ms, s or m, such as 500ms, "
                    + "30s or 2m (not '" + duration + "')");
            return 1;
        }
        long recordsPerRound = records != null ? records : DEFAULT_RECORDS;
        if (rounds < 1 || recordsPerRound < 1 || recordSize < 1 || partitions < 1 || producers < 1 || consumers < 0
                || keyCount < 0 || recordsPerRound < producers || consumerStaggerMs < 0 || consumerTimeoutMs < 1) {
            err.println("fjord perf suite: --rounds, --records, --record-size, --partitions, --producers and "
                    + "--consumer-timeout-ms must be positive, --records at least --producers, --consumers, "
                    + "--consumer-stagger-ms and --key-count zero or more");
            return 1;
        }
        if (!List.of("0", "1", "all", "-1").contains(acks)) {
            err.println("fjord perf suite: --acks must be 0, 1 or all");
            return 1;
        }
        List<PerfMix> mixes = new ArrayList<>();
        for (Path file : mixFiles()) {
            try {
                mixes.add(PerfMix.read(file));
            } catch (ImageException e) {
                err.println("fjord perf suite: " + e.getMessage());
                return 1;
            }
        }
        if (mixes.isEmpty()) {
            err.println("fjord perf suite: no mix files in " + mixPaths);
            return 1;
        }
        String base = baseline != null ? baseline : mixes.get(0).name();
        if (mixes.stream().noneMatch(m -> m.name().equals(base))) {
            err.println("fjord perf suite: no mix called " + base);
            return 1;
        }
        String workload = describe(mixes, recordsPerRound, durationMs);
        out.println(workload);
        out.flush();
        PerfSuite.Workload load = new PerfSuite.Workload(recordsPerRound, durationMs, recordSize, partitions, producers,
                consumers, consumerStaggerMs, consumerTimeoutMs, acks, keyCount, rounds);
        Path dir = output.toAbsolutePath();
        List<PerfSuite.Round> results = new PerfSuite(load, dir, modulePath != null ? modulePath
                : FjordHome.root().resolve("modules"), jdk, err).run(mixes);
        PerfSuiteReport.write(dir, workload, base, mixes, results);
        out.print(Files.readString(dir.resolve("report.md")));
        out.println("Report: " + dir.resolve("report.md") + ", raw: rounds.csv, rounds.json, chart: chart.svg");
        out.flush();
        return PerfSuiteReport.summarize(mixes, results).stream().anyMatch(PerfSuiteReport.Summary::ran) ? 0 : 1;
    }

    /** Milliseconds of a duration such as 500ms, 30s or 2m; -1 for anything else. */
    static long durationMs(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            default -> n * 60_000;
        };
    }

    private String describe(List<PerfMix> mixes, long recordsPerRound, long durationMs) {
        String load = durationMs > 0
                ? String.format(Locale.ROOT, "records of %d bytes sent for %s (%d ms) per round by each producer, counted "
                        + "from the producers' summaries", recordSize, duration, durationMs)
                : String.format(Locale.ROOT, "%d records of %d bytes per round", recordsPerRound, recordSize);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Workload: %s, %d partitions, %d producer(s), acks=%s, %s, %d round(s); "
                        + "mixes: %s.", load, partitions, producers, acks,
                keyCount == 0 ? "no keys" : keyCount + " keys drawn uniformly", rounds,
                String.join(", ", mixes.stream().map(PerfMix::name).toList())));
        if (consumers > 0) {
            s.append(String.format(Locale.ROOT, " %d consumer(s) in one group, joining %d ms apart, each stopping "
                    + "after %d ms without a record.", consumers, consumerStaggerMs, consumerTimeoutMs));
        } else if (mixes.stream().anyMatch(m -> !m.consumer().isEmpty())) {
            s.append(" No consumers (--consumers 0): the mixes' consumer settings are not measured.");
        }
        return s.toString();
    }

    private List<Path> mixFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : mixPaths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> entries = Files.list(p)) {
                    entries.filter(f -> f.getFileName().toString().endsWith(".properties")).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }
}
