package io.fjord.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerfSuiteReportTest {

    @TempDir
    Path dir;

    private static final long GIB = 1L << 30;

    private static PerfSuite.Round round(String mix, int n, double recordsPerSec, double p99, long brokerCpuMs) {
        return round(mix, n, recordsPerSec, p99, brokerCpuMs, PerfSuiteConsumers.Consumption.NONE);
    }

    private static PerfSuite.Round round(String mix, int n, double recordsPerSec, double p99, long brokerCpuMs,
                                         PerfSuiteConsumers.Consumption consumption) {
        return new PerfSuite.Round(mix, n, 0, recordsPerSec, recordsPerSec / 1024, 1, p99, 1, brokerCpuMs, 2000,
                300L << 20, 100L << 20, 5L << 20, 40L << 20, 1 << 20, GIB, consumption, null);
    }

    /** Two consumers that read a GiB at {@code mibPerSec}, with the rebalance time and CPU given. */
    private static PerfSuiteConsumers.Consumption consumed(double mibPerSec, long rebalanceMs, long cpuMs) {
        return new PerfSuiteConsumers.Consumption(2, 1_000_000, GIB, mibPerSec, rebalanceMs, cpuMs, 200L << 20);
    }

    private PerfMix mix(String name) throws Exception {
        return PerfMix.read(Files.write(dir.resolve(name + ".properties"), List.of("modules=io.fjord.broker")));
    }

    @Test
    void mediansRatiosToTheBaselineAndFailedMixesWithTheirReason() throws Exception {
        List<PerfMix> mixes = List.of(mix("base"), mix("fast"), mix("broken"));
        List<PerfSuite.Round> rounds = List.of(
                round("base", 1, 1000, 10, 4000), round("fast", 1, 3000, 5, 2000),
                new PerfSuite.Round("broken", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PerfSuiteConsumers.Consumption.NONE,
                        "image: a | b"),
                round("base", 2, 1200, 30, 4000), round("fast", 2, 2000, 5, 2000),
                round("base", 3, 800, 20, 4000), round("fast", 3, 2500, 5, 2000));
        List<PerfSuiteReport.Summary> summaries = PerfSuiteReport.summarize(mixes, rounds);
        assertEquals(1000, summaries.get(0).recordsPerSec());
        assertEquals(20, summaries.get(0).p99Ms());
        assertEquals(4.0, summaries.get(0).brokerCpuSecPerGiB(), 1e-9);
        String md = PerfSuiteReport.markdown("w", "base", summaries);
        assertTrue(md.contains("| base | 3 | 1000 | 1.0 | 1 | 20 | 4.00 | 2.00 | 300 | 100 | 5.0 | 40.0 | 1.00x | 1.00x | 1.00x |"), md);
        assertTrue(md.contains("| fast | 3 | 2500 | 2.4 | 1 | 5 | 2.00 | 2.00 | 300 | 100 | 5.0 | 40.0 | 2.50x | 0.25x | 0.50x |"), md);
        assertTrue(md.contains("| broken | FAILED: image: a \\| b |||||||||||||\n"), md);
        assertFalse(md.contains("consume MiB/s"), "no consumers, no consumer columns: " + md);
        String csv = PerfSuiteReport.csv(rounds);
        assertTrue(csv.contains("broken,1,,0.0,0.000,0.0,0.0,0.00,0,0,0,0,0,0,0,0,0,0,0,0.000,0,0,0,\"image: a | b\""), csv);
        PerfSuiteReport.write(dir.resolve("out"), "w", "base", mixes, rounds);
        assertTrue(Files.readString(dir.resolve("out/chart.svg")).contains(">failed</text>"));
        assertTrue(Files.readString(dir.resolve("out/rounds.json")).contains("\"failure\":\"image: a | b\""));
        assertTrue(Files.readString(dir.resolve("out/rounds.json")).contains("{\"mix\":\"base\",\"round\":1,"
                + "\"durationMs\":null,"), "a record count, no duration");
    }

    @Test
    void consumerColumnsHoldTheGroupsMediansAndTheRawRoundsEveryFigure() throws Exception {
        List<PerfMix> mixes = List.of(mix("range"), mix("cooperative"), mix("broken"));
        List<PerfSuite.Round> rounds = List.of(
                round("range", 1, 1000, 10, 4000, consumed(80, 3000, 2000)),
                round("cooperative", 1, 1000, 10, 4000, consumed(120, 40, 1500)),
                new PerfSuite.Round("broken", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PerfSuiteConsumers.Consumption.NONE,
                        "the broker did not start"),
                round("range", 2, 1000, 10, 4000, consumed(100, 5000, 3000)),
                round("cooperative", 2, 1000, 10, 4000, consumed(110, 60, 1500)),
                round("range", 3, 1000, 10, 4000, consumed(90, 4000, 2500)),
                round("cooperative", 3, 1000, 10, 4000, consumed(130, 50, 1500)));
        List<PerfSuiteReport.Summary> summaries = PerfSuiteReport.summarize(mixes, rounds);
        assertEquals(90, summaries.get(0).consumeMibPerSec());
        assertEquals(4000, summaries.get(0).rebalanceMs());
        assertEquals(2.5, summaries.get(0).consumerCpuSecPerGiB(), 1e-9);
        String md = PerfSuiteReport.markdown("w", "range", summaries);
        assertTrue(md.contains("| image MiB | consume MiB/s | rebalance ms | consumer CPU s/GiB | throughput vs base |"), md);
        assertTrue(md.contains("|---|" + "---:|".repeat(17) + "\n"), md);
        assertTrue(md.contains("| range | 3 | 1000 | 1.0 | 1 | 10 | 4.00 | 2.00 | 300 | 100 | 5.0 | 40.0 "
                + "| 90.0 | 4000 | 2.50 | 1.00x | 1.00x | 1.00x |"), md);
        assertTrue(md.contains("| cooperative | 3 | 1000 | 1.0 | 1 | 10 | 4.00 | 2.00 | 300 | 100 | 5.0 | 40.0 "
                + "| 120.0 | 50 | 1.50 | 1.00x | 1.00x | 1.00x |"), md);
        assertTrue(md.contains("| broken | FAILED: the broker did not start |" + "|".repeat(15) + "\n"), md);
        String csv = PerfSuiteReport.csv(rounds);
        assertTrue(csv.startsWith("mix,round,duration_ms,records_per_sec,mib_per_sec,p50_ms,p99_ms,avg_ms,broker_cpu_ms,"
                + "client_cpu_ms,broker_peak_rss_bytes,client_peak_rss_bytes,log_bytes,image_bytes,records_sent,bytes_sent,"
                + "consumers,records_consumed,bytes_consumed,consume_mib_per_sec,rebalance_ms,consumer_cpu_ms,"
                + "consumer_peak_rss_bytes,failure\n"), csv);
        assertTrue(csv.contains("\nrange,2,,1000.0,0.977,1.0,10.0,1.00,4000,2000,314572800,104857600,5242880,41943040,"
                + (1 << 20) + "," + GIB + ",2,1000000," + GIB + ",100.000,5000,3000,209715200,\n"), csv);
        PerfSuiteReport.write(dir.resolve("out"), "w", "range", mixes, rounds);
        assertTrue(Files.readString(dir.resolve("out/rounds.json")).contains("\"recordsSent\":" + (1 << 20)
                + ",\"bytesSent\":" + GIB + ",\"consumers\":2,"
                + "\"recordsConsumed\":1000000,\"bytesConsumed\":" + GIB + ",\"consumeMibPerSec\":80.000,\"rebalanceMs\":3000,"
                + "\"consumerCpuMs\":2000,\"consumerPeakRssBytes\":209715200,\"failure\":null}"));
        String svg = Files.readString(dir.resolve("out/chart.svg"));
        assertTrue(svg.contains(">Consume (MiB/s, the group)</text>") && svg.contains(">120.0</text>"), svg);
    }

    @Test
    void aTimedRoundCarriesItsDurationAndTheRecordsItsProducersSent() throws Exception {
        List<PerfMix> mixes = List.of(mix("timed"));
        List<PerfSuite.Round> rounds = List.of(new PerfSuite.Round("timed", 1, 3000, 12345, 12.1, 1, 9, 1, 500, 400,
                300L << 20, 100L << 20, 5L << 20, 40L << 20, 37_035, 37_035L * 1024,
                new PerfSuiteConsumers.Consumption(2, 37_035, 37_035L * 1024, 10, 20, 300, 200L << 20), null));
        String csv = PerfSuiteReport.csv(rounds);
        assertTrue(csv.contains("\ntimed,1,3000,12345.0,12.100,"), csv);
        assertTrue(csv.contains(",41943040,37035," + 37_035L * 1024 + ",2,37035,"), csv);
        PerfSuiteReport.write(dir.resolve("out"), "Workload: records of 1024 bytes sent for 3s (3000 ms) per round",
                "timed", mixes, rounds);
        String json = Files.readString(dir.resolve("out/rounds.json"));
        assertTrue(json.contains("{\"mix\":\"timed\",\"round\":1,\"durationMs\":3000,"), json);
        assertTrue(json.contains("\"recordsSent\":37035,\"bytesSent\":" + 37_035L * 1024 + ","), json);
        assertTrue(Files.readString(dir.resolve("out/report.md")).contains("sent for 3s (3000 ms) per round"));
    }
}
