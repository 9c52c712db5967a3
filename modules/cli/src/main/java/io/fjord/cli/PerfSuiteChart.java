package io.fjord.cli;

import java.util.List;
import java.util.Locale;

/**
 * The chart of a suite run as SVG, which any browser opens: on the left throughput (MiB/s) per
 * mix, then p50 and p99 latency (ms) per mix and, when the rounds had consumers, the group's consume
 * throughput (MiB/s); horizontal bars on a common scale per panel. A failed mix keeps its row, marked
 * failed.
 */
final class PerfSuiteChart {

    private static final int ROW = 26;
    private static final int LABEL = 170;
    private static final int PANEL = 300;
    private static final int TOP = 50;

    private PerfSuiteChart() {
    }

    static String svg(List<PerfSuiteReport.Summary> summaries) {
        boolean consumers = summaries.stream().anyMatch(PerfSuiteReport.Summary::consumed);
        int width = LABEL + (consumers ? 3 : 2) * (PANEL + 90);
        int height = TOP + ROW * Math.max(1, summaries.size()) + 30;
        double maxThroughput = summaries.stream().mapToDouble(PerfSuiteReport.Summary::mibPerSec).max().orElse(0);
        double maxLatency = summaries.stream().mapToDouble(PerfSuiteReport.Summary::p99Ms).max().orElse(0);
        double maxConsume = summaries.stream().mapToDouble(PerfSuiteReport.Summary::consumeMibPerSec).max().orElse(0);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        int left = LABEL;
        int right = LABEL + PANEL + 90;
        svg.append(text(left, 20, "Throughput (MiB/s)", "bold"));
        int third = right + PANEL + 90;
        svg.append(text(right, 20, "Latency (ms): p50 dark, p99 light", "bold"));
        if (consumers) {
            svg.append(text(third, 20, "Consume (MiB/s, the group)", "bold"));
        }
        for (int i = 0; i < summaries.size(); i++) {
            PerfSuiteReport.Summary s = summaries.get(i);
            int y = TOP + i * ROW;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL - 10, y + 14, escape(s.mix())));
            if (!s.ran()) {
                svg.append(text(left, y + 14, "failed", "normal"));
                continue;
            }
            int tw = bar(s.mibPerSec(), maxThroughput);
            svg.append(rect(left, y, tw, 18, "#3b6ea5"));
            svg.append(text(left + tw + 5, y + 14, PerfSuiteReport.fmt("%.1f", s.mibPerSec()), "normal"));
            int p99 = bar(s.p99Ms(), maxLatency);
            int p50 = bar(s.p50Ms(), maxLatency);
            svg.append(rect(right, y, p99, 18, "#e3a857"));
            svg.append(rect(right, y, p50, 18, "#b5651d"));
            svg.append(text(right + p99 + 5, y + 14, PerfSuiteReport.fmt("%.0f", s.p50Ms()) + " / "
                    + PerfSuiteReport.fmt("%.0f", s.p99Ms()), "normal"));
            if (consumers) {
                int cw = bar(s.consumeMibPerSec(), maxConsume);
                svg.append(rect(third, y, cw, 18, "#4f9a6b"));
                svg.append(text(third + cw + 5, y + 14, PerfSuiteReport.fmt("%.1f", s.consumeMibPerSec()), "normal"));
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static int bar(double value, double max) {
        return max <= 0 ? 0 : (int) Math.round(value / max * PANEL);
    }

    private static String rect(int x, int y, int w, int h, String fill) {
        return String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", x, y, w, h, fill);
    }

    private static String text(int x, int y, String s, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"%s\">%s</text>%n", x, y, weight, escape(s));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
