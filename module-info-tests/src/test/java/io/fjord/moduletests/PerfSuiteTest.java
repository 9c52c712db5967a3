package io.fjord.moduletests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fjord perf suite} from the built image: two small mixes on one image (with the range and
 * the cooperative-sticky assignor for a group of two consumers), a mix that cannot be built, one
 * whose broker cannot start and one whose consumers cannot start. The two run every round and are
 * reported with ratios and the group's figures; the broken ones are reported with their reasons and
 * stop nothing. Then a workload given as a duration, whose consumers must read what its producers
 * report as sent.
 */
class PerfSuiteTest {

    @TempDir
    Path work;

    private Path mix(String name, String... lines) throws Exception {
        return Files.write(work.resolve("mixes").resolve(name + ".properties"), List.of(lines));
    }

    @Test
    void twoSmallMixesAreMeasuredWithTheirConsumersAndBrokenMixesAreReportedWithTheirReasons() throws Exception {
        Path image = Modules.pathProperty("fjord.image");
        Files.createDirectories(work.resolve("mixes"));
        // a, b and d run the shared broker image (linking is slow); the suite's own builds are
        // fjord image's code, which CustomImageTest drives, and c is refused before linking.
        String shared = "image=" + SharedImages.brokerWithSnappy();
        mix("a-none", "description=no compression", shared, "producer.compression.type=none",
                "consumer.partition.assignment.strategy=range");
        mix("b-lz4", shared, "producer.compression.type=lz4", "consumer.partition.assignment.strategy=cooperative-sticky");
        mix("c-no-metadata", "modules=io.fjord.broker,io.fjord.compression", "without=io.fjord.controller");
        mix("d-bad-broker", shared, "broker.num.partitions=many");
        mix("e-bad-assignor", shared, "consumer.partition.assignment.strategy=no-such-assignor");
        Path out = work.resolve("report");
        // The consumers' idle timeout outlasts a join, which waits for the first member's next
        // heartbeat (3 s apart), on a busy machine.
        FjordProcesses.Run r = FjordProcesses.run(image, "perf", "suite", work.resolve("mixes").toString(),
                "--output", out.toString(), "--jdk", System.getProperty("java.home"),
                "--rounds", "2", "--records", "6000", "--record-size", "200", "--partitions", "2", "--consumers", "2",
                "--consumer-stagger-ms", "300", "--consumer-timeout-ms", "8000");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("[fjord perf suite] round 2/2, mix b-lz4 (2/5)"), r.out());
        assertTrue(r.out().contains("2 consumer(s) in one group, joining 300 ms apart, each stopping after 8000 ms "
                + "without a record."), r.out());

        String report = Files.readString(out.resolve("report.md"));
        // Past the image size: consume MiB/s, rebalance ms and consumer CPU, all measured, then the ratios.
        String consumerColumns = "\\| (?!0\\.0 )[\\d.]+ \\| [1-9]\\d* \\| (?!0\\.00 )[\\d.]+ \\| ";
        assertTrue(report.matches("(?s).*\\| a-none \\| 2 \\| \\d+ \\| [\\d.]+ \\| \\d+ \\| \\d+ \\| .* " + consumerColumns
                + "1\\.00x \\| 1\\.00x \\| 1\\.00x \\|\n.*"), report);
        assertTrue(report.matches("(?s).*\\| b-lz4 \\| 2 \\| \\d+ \\| .* " + consumerColumns
                + "[\\d.]+x \\| [\\d.]+x \\| [\\d.]+x \\|\n.*"), report);
        assertTrue(report.contains("| e-bad-assignor | FAILED: consumer exited with "), report);
        assertTrue(report.contains("no-such-assignor"), report);
        assertTrue(report.contains("| c-no-metadata | FAILED: image: the mix cannot work: module io.fjord.controller "
                + "(the metadata store) is missing and io.fjord.broker needs it"), report);
        assertTrue(report.contains("| d-bad-broker | FAILED: the broker did not start: "), report);
        assertTrue(report.contains("num.partitions"), report);

        List<String> csv = Files.readAllLines(out.resolve("rounds.csv"));
        assertTrue(csv.get(0).startsWith("mix,round,duration_ms,records_per_sec,"), csv.get(0));
        // Rounds alternate the mixes; c fails once, at its build, d and e in every round.
        assertEquals(List.of("a-none,1", "b-lz4,1", "c-no-metadata,1", "d-bad-broker,1", "e-bad-assignor,1",
                        "a-none,2", "b-lz4,2", "d-bad-broker,2", "e-bad-assignor,2"),
                csv.subList(1, csv.size()).stream().map(l -> l.substring(0, l.indexOf(',', l.indexOf(',') + 1))).toList());
        List<String> header = List.of(csv.get(0).split(","));
        for (String line : csv.subList(1, csv.size())) {
            List<String> row = List.of(line.split(","));
            if (!row.get(0).startsWith("a-") && !row.get(0).startsWith("b-")) {
                continue;
            }
            // The group read every record the producers wrote, once.
            assertEquals("6000", row.get(header.indexOf("records_sent")), line);
            assertEquals("6000", row.get(header.indexOf("records_consumed")), line);
            assertEquals("2", row.get(header.indexOf("consumers")), line);
            for (String measured : List.of("consume_mib_per_sec", "rebalance_ms", "consumer_cpu_ms", "bytes_consumed")) {
                assertTrue(Double.parseDouble(row.get(header.indexOf(measured))) > 0, measured + " in " + line);
            }
        }
        String json = Files.readString(out.resolve("rounds.json"));
        assertTrue(json.startsWith("[\n  {\"mix\":\"a-none\",\"round\":1,"), json);
        assertEquals(4, json.split("\"failure\":null").length - 1, json);
        assertEquals(4, json.split("\"recordsConsumed\":6000,").length - 1, json);
        String svg = Files.readString(out.resolve("chart.svg"));
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.contains(">a-none</text>") && svg.contains(">b-lz4</text>") && svg.contains(">failed</text>"), svg);
        assertTrue(svg.contains(">Consume (MiB/s, the group)</text>"), svg);
        Path built = out.resolve("images");
        if (Files.exists(built)) {
            try (var images = Files.list(built)) {
                assertFalse(images.findAny().isPresent(), "c's build was refused before linking; the others had one");
            }
        }
    }

    @Test
    void aTimedWorkloadsConsumersReadExactlyWhatItsProducersSent() throws Exception {
        Path image = Modules.pathProperty("fjord.image");
        Files.createDirectories(work.resolve("mixes"));
        Path timed = mix("timed", "image=" + SharedImages.brokerWithSnappy(), "producer.compression.type=lz4");
        Path out = work.resolve("timed-report");
        FjordProcesses.Run r = FjordProcesses.run(image, "perf", "suite", timed.toString(),
                "--output", out.toString(), "--jdk", System.getProperty("java.home"),
                "--rounds", "1", "--duration", "3s", "--record-size", "200", "--partitions", "2", "--producers", "2",
                "--consumers", "2", "--consumer-stagger-ms", "300", "--consumer-timeout-ms", "8000");
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("[fjord perf suite] round 1/1, mix timed (1/1), producing for 3000 ms"), r.out());
        String workload = "Workload: records of 200 bytes sent for 3s (3000 ms) per round by each producer, counted "
                + "from the producers' summaries, 2 partitions, 2 producer(s),";
        assertTrue(r.out().contains(workload), r.out());
        assertTrue(Files.readString(out.resolve("report.md")).contains(workload));

        List<String> csv = Files.readAllLines(out.resolve("rounds.csv"));
        assertEquals(2, csv.size(), String.join("\n", csv));
        List<String> header = List.of(csv.get(0).split(","));
        List<String> row = List.of(csv.get(1).split(",", -1));
        assertEquals("3000", row.get(header.indexOf("duration_ms")), csv.get(1));
        assertEquals("", row.get(header.indexOf("failure")), csv.get(1));
        long sent = Long.parseLong(row.get(header.indexOf("records_sent")));
        assertTrue(sent > 0, csv.get(1));
        // The group read what the producers say they sent, once, though no one knew the count beforehand.
        assertEquals(sent, Long.parseLong(row.get(header.indexOf("records_consumed"))), csv.get(1));
        assertEquals(sent * 200, Long.parseLong(row.get(header.indexOf("bytes_sent"))), csv.get(1));
        String json = Files.readString(out.resolve("rounds.json"));
        assertTrue(json.contains("\"durationMs\":3000,") && json.contains("\"recordsSent\":" + sent + ",")
                && json.contains("\"recordsConsumed\":" + sent + ","), json);
    }
}
