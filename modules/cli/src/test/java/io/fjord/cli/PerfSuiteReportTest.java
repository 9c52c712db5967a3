package io.fjord.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerfSuiteReportTest {

    @TempDir
    Path dir;

    private static final long GIB = 1L << 30;

    private static PerfSuite.Round round(String mix, int n, double recordsPerSec, double p99, long brokerCpuMs) {
        return new PerfSuite.Round(mix, n, recordsPerSec, recordsPerSec / 1024, 1, p99, 1, brokerCpuMs, 2000,
                300L << 20, 100L << 20, 5L << 20, 40L << 20, GIB, null);
    }

    private PerfMix mix(String name) throws Exception {
        return PerfMix.read(Files.write(dir.resolve(name + ".properties"), List.of("modules=io.fjord.broker")));
    }

    @Test
    void mediansRatiosToTheBaselineAndFailedMixesWithTheirReason() throws Exception {
        List<PerfMix> mixes = List.of(mix("base"), mix("fast"), mix("broken"));
        List<PerfSuite.Round> rounds = List.of(
                round("base", 1, 1000, 10, 4000), round("fast", 1, 3000, 5, 2000),
                new PerfSuite.Round("broken", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "image: a | b"),
                round("base", 2, 1200, 30, 4000), round("fast", 2, 2000, 5, 2000),
                round("base", 3, 800, 20, 4000), round("fast", 3, 2500, 5, 2000));
        List<PerfSuiteReport.Summary> summaries = PerfSuiteReport.summarize(mixes, rounds);
        assertEquals(1000, summaries.get(0).recordsPerSec());
        assertEquals(20, summaries.get(0).p99Ms());
        assertEquals(4.0, summaries.get(0).brokerCpuSecPerGiB(), 1e-9);
        String md = PerfSuiteReport.markdown("w", "base", summaries);
        assertTrue(md.contains("| base | 3 | 1000 | 1.0 | 1 | 20 | 4.00 | 2.00 | 300 | 100 | 5.0 | 40.0 | 1.00x | 1.00x | 1.00x |"), md);
        assertTrue(md.contains("| fast | 3 | 2500 | 2.4 | 1 | 5 | 2.00 | 2.00 | 300 | 100 | 5.0 | 40.0 | 2.50x | 0.25x | 0.50x |"), md);
        assertTrue(md.contains("| broken | FAILED: image: a \\| b |"), md);
        String csv = PerfSuiteReport.csv(rounds);
        assertTrue(csv.contains("broken,1,0.0,0.000,0.0,0.0,0.00,0,0,0,0,0,0,0,\"image: a | b\""), csv);
        PerfSuiteReport.write(dir.resolve("out"), "w", "base", mixes, rounds);
        assertTrue(Files.readString(dir.resolve("out/chart.svg")).contains(">failed</text>"));
        assertTrue(Files.readString(dir.resolve("out/rounds.json")).contains("\"failure\":\"image: a | b\""));
    }
}
