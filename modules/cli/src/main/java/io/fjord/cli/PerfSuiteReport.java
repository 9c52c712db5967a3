package io.fjord.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The report of a suite run: {@code report.md} (one row per mix, medians over its rounds, ratios
 * to the baseline mix, failed mixes with their reason), {@code rounds.csv} and {@code rounds.json}
 * (every round as measured, with the duration of a timed workload and the records the producers
 * sent) and {@code chart.svg} (throughput and latency per mix). Consumer columns come in when the
 * rounds had consumers.
 */
final class PerfSuiteReport {

    /** One mix summed up: the medians of its rounds that ran, or why none did. */
    record Summary(String mix, String description, int rounds, double recordsPerSec, double mibPerSec, double p50Ms,
                   double p99Ms, double brokerCpuSecPerGiB, double clientCpuSecPerGiB, double brokerRssMiB,
                   double clientRssMiB, double diskMiB, double imageMiB, int consumers, double consumeMibPerSec,
                   double rebalanceMs, double consumerCpuSecPerGiB, String failure) {
        boolean ran() {
            return failure == null;
        }

        boolean consumed() {
            return consumers > 0;
        }
    }

    private static final double MIB = 1024.0 * 1024.0;
    private static final double GIB = MIB * 1024.0;

    private PerfSuiteReport() {
    }

    static List<Summary> summarize(List<PerfMix> mixes, List<PerfSuite.Round> rounds) {
        List<Summary> out = new ArrayList<>();
        for (PerfMix mix : mixes) {
            List<PerfSuite.Round> mine = rounds.stream().filter(r -> r.mix().equals(mix.name())).toList();
            List<PerfSuite.Round> ran = mine.stream().filter(r -> r.failure() == null).toList();
            if (ran.isEmpty()) {
                String reason = mine.isEmpty() ? "did not run" : mine.get(mine.size() - 1).failure();
                out.add(new Summary(mix.name(), mix.description(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, reason));
                continue;
            }
            out.add(new Summary(mix.name(), mix.description(), ran.size(),
                    median(ran, PerfSuite.Round::recordsPerSec), median(ran, PerfSuite.Round::mibPerSec),
                    median(ran, PerfSuite.Round::p50Ms), median(ran, PerfSuite.Round::p99Ms),
                    median(ran, r -> perGiB(r.brokerCpuMs(), r.bytesSent())),
                    median(ran, r -> perGiB(r.clientCpuMs(), r.bytesSent())),
                    median(ran, r -> r.brokerRssBytes() / MIB), median(ran, r -> r.clientRssBytes() / MIB),
                    median(ran, r -> r.diskBytes() / MIB), median(ran, r -> r.imageBytes() / MIB),
                    ran.get(0).consumption().consumers(), median(ran, r -> r.consumption().mibPerSec()),
                    median(ran, r -> r.consumption().rebalanceMs()),
                    median(ran, r -> perGiB(r.consumption().cpuMs(), r.consumption().bytes())), null));
        }
        return out;
    }

    static void write(Path dir, String workload, String baseline, List<PerfMix> mixes, List<PerfSuite.Round> rounds)
            throws IOException {
        Files.createDirectories(dir);
        List<Summary> summaries = summarize(mixes, rounds);
        Files.writeString(dir.resolve("report.md"), markdown(workload, baseline, summaries));
        Files.writeString(dir.resolve("rounds.csv"), csv(rounds));
        Files.writeString(dir.resolve("rounds.json"), json(rounds));
        Files.writeString(dir.resolve("chart.svg"), PerfSuiteChart.svg(summaries));
    }

    static String markdown(String workload, String baseline, List<Summary> summaries) {
        Summary base = summaries.stream().filter(s -> s.mix().equals(baseline) && s.ran()).findFirst().orElse(null);
        boolean consumers = summaries.stream().anyMatch(Summary::consumed);
        StringBuilder md = new StringBuilder("# fjord perf suite\n\n").append(workload).append("\n\n");
        md.append("Medians over the rounds that ran. CPU per GiB is CPU seconds per GiB of record values produced; ")
                .append("RSS is the peak resident memory; log on disk is the bytes of the log segments; ");
        if (consumers) {
            md.append("consume MiB/s is what the whole group read over the time from its first member's start to its ")
                    .append("last record; rebalance ms is the longest time a member held no partition; consumer CPU ")
                    .append("is the group's CPU seconds per GiB read; ");
        }
        md.append("ratios are to the baseline mix `").append(baseline)
                .append(base == null ? "` (which did not run, so no ratios)" : "`").append(".\n\n");
        md.append("| mix | rounds | records/s | MiB/s | p50 ms | p99 ms | broker CPU s/GiB | client CPU s/GiB | "
                + "broker RSS MiB | client RSS MiB | log on disk MiB | image MiB | ")
                .append(consumers ? "consume MiB/s | rebalance ms | consumer CPU s/GiB | " : "")
                .append("throughput vs base | p99 vs base | broker CPU vs base |\n");
        md.append("|---|").append("---:|".repeat(consumers ? 17 : 14)).append('\n');
        for (Summary s : summaries) {
            if (!s.ran()) {
                md.append("| ").append(s.mix()).append(" | FAILED: ").append(s.failure().replace("|", "\\|").replace("\n", " "))
                        .append(" |").append("|".repeat(consumers ? 15 : 12)).append('\n');
                continue;
            }
            md.append("| ").append(s.mix()).append(" | ").append(s.rounds())
                    .append(" | ").append(fmt("%.0f", s.recordsPerSec())).append(" | ").append(fmt("%.1f", s.mibPerSec()))
                    .append(" | ").append(fmt("%.0f", s.p50Ms())).append(" | ").append(fmt("%.0f", s.p99Ms()))
                    .append(" | ").append(fmt("%.2f", s.brokerCpuSecPerGiB())).append(" | ").append(fmt("%.2f", s.clientCpuSecPerGiB()))
                    .append(" | ").append(fmt("%.0f", s.brokerRssMiB())).append(" | ").append(fmt("%.0f", s.clientRssMiB()))
                    .append(" | ").append(fmt("%.1f", s.diskMiB())).append(" | ").append(fmt("%.1f", s.imageMiB()));
            if (consumers) {
                md.append(" | ").append(fmt("%.1f", s.consumeMibPerSec())).append(" | ").append(fmt("%.0f", s.rebalanceMs()))
                        .append(" | ").append(fmt("%.2f", s.consumerCpuSecPerGiB()));
            }
            md.append(" | ").append(ratio(s.recordsPerSec(), base == null ? 0 : base.recordsPerSec()))
                    .append(" | ").append(ratio(s.p99Ms(), base == null ? 0 : base.p99Ms()))
                    .append(" | ").append(ratio(s.brokerCpuSecPerGiB(), base == null ? 0 : base.brokerCpuSecPerGiB()))
                    .append(" |\n");
        }
        md.append('\n');
        for (Summary s : summaries) {
            if (!s.description().isEmpty()) {
                md.append("- `").append(s.mix()).append("`: ").append(s.description()).append('\n');
            }
        }
        return md.toString();
    }

    static String csv(List<PerfSuite.Round> rounds) {
        StringBuilder csv = new StringBuilder("mix,round,duration_ms,records_per_sec,mib_per_sec,p50_ms,p99_ms,avg_ms,"
                + "broker_cpu_ms,client_cpu_ms,broker_peak_rss_bytes,client_peak_rss_bytes,log_bytes,image_bytes,"
                + "records_sent,bytes_sent,consumers,"
                + "records_consumed,bytes_consumed,consume_mib_per_sec,rebalance_ms,consumer_cpu_ms,consumer_peak_rss_bytes,"
                + "failure\n");
        for (PerfSuite.Round r : rounds) {
            PerfSuiteConsumers.Consumption c = r.consumption();
            csv.append(String.join(",", r.mix(), Integer.toString(r.round()),
                    r.durationMs() > 0 ? Long.toString(r.durationMs()) : "", fmt("%.1f", r.recordsPerSec()),
                    fmt("%.3f", r.mibPerSec()), fmt("%.1f", r.p50Ms()), fmt("%.1f", r.p99Ms()), fmt("%.2f", r.avgMs()),
                    Long.toString(r.brokerCpuMs()), Long.toString(r.clientCpuMs()), Long.toString(r.brokerRssBytes()),
                    Long.toString(r.clientRssBytes()), Long.toString(r.diskBytes()), Long.toString(r.imageBytes()),
                    Long.toString(r.recordsSent()), Long.toString(r.bytesSent()), Integer.toString(c.consumers()),
                    Long.toString(c.records()), Long.toString(c.bytes()), fmt("%.3f", c.mibPerSec()),
                    Long.toString(c.rebalanceMs()),
                    Long.toString(c.cpuMs()), Long.toString(c.peakRssBytes()), r.failure() == null ? "" : "\"" + r.failure().replace("\"", "\"\"") + "\""))
                    .append('\n');
        }
        return csv.toString();
    }

    static String json(List<PerfSuite.Round> rounds) {
        return "[\n" + rounds.stream().map(r -> {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("mix", Json.string(r.mix()));
            f.put("round", Integer.toString(r.round()));
            f.put("durationMs", r.durationMs() > 0 ? Long.toString(r.durationMs()) : "null");
            f.put("recordsPerSec", fmt("%.1f", r.recordsPerSec()));
            f.put("mibPerSec", fmt("%.3f", r.mibPerSec()));
            f.put("p50Ms", fmt("%.1f", r.p50Ms()));
            f.put("p99Ms", fmt("%.1f", r.p99Ms()));
            f.put("avgMs", fmt("%.2f", r.avgMs()));
            f.put("brokerCpuMs", Long.toString(r.brokerCpuMs()));
            f.put("clientCpuMs", Long.toString(r.clientCpuMs()));
            f.put("brokerPeakRssBytes", Long.toString(r.brokerRssBytes()));
            f.put("clientPeakRssBytes", Long.toString(r.clientRssBytes()));
            f.put("logBytes", Long.toString(r.diskBytes()));
            f.put("imageBytes", Long.toString(r.imageBytes()));
            f.put("recordsSent", Long.toString(r.recordsSent()));
            f.put("bytesSent", Long.toString(r.bytesSent()));
            PerfSuiteConsumers.Consumption c = r.consumption();
            f.put("consumers", Integer.toString(c.consumers()));
            f.put("recordsConsumed", Long.toString(c.records()));
            f.put("bytesConsumed", Long.toString(c.bytes()));
            f.put("consumeMibPerSec", fmt("%.3f", c.mibPerSec()));
            f.put("rebalanceMs", Long.toString(c.rebalanceMs()));
            f.put("consumerCpuMs", Long.toString(c.cpuMs()));
            f.put("consumerPeakRssBytes", Long.toString(c.peakRssBytes()));
            f.put("failure", r.failure() == null ? "null" : Json.string(r.failure()));
            return "  {" + f.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                    .collect(Collectors.joining(",")) + "}";
        }).collect(Collectors.joining(",\n")) + "\n]\n";
    }

    private static double median(List<PerfSuite.Round> rounds, ToDoubleFunction<PerfSuite.Round> metric) {
        double[] values = rounds.stream().mapToDouble(metric).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double perGiB(long cpuMs, long bytes) {
        return bytes <= 0 ? 0 : cpuMs / 1000.0 / (bytes / GIB);
    }

    private static String ratio(double value, double base) {
        return base <= 0 ? "-" : fmt("%.2fx", value / base);
    }

    static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
