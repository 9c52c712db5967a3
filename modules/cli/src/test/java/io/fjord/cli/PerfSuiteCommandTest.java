package io.fjord.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fjord perf suite}'s checks of its workload, which come before any mix is read or built. */
class PerfSuiteCommandTest {

    @TempDir
    Path dir;

    /** Exit code and the error stream of one command line. */
    private record Result(int exitCode, String err) {
    }

    private Result suite(String... options) {
        List<String> args = new ArrayList<>(List.of("perf", "suite", dir.resolve("no-such-mix.properties").toString(),
                "--output", dir.resolve("out").toString()));
        args.addAll(List.of(options));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                args.toArray(String[]::new));
        return new Result(code, err.toString());
    }

    @Test
    void durationsAreWholeMillisecondsSecondsOrMinutes() {
        assertEquals(500, PerfSuiteCommand.durationMs("500ms"));
        assertEquals(30_000, PerfSuiteCommand.durationMs("30s"));
        assertEquals(120_000, PerfSuiteCommand.durationMs("2m"));
        assertEquals(0, PerfSuiteCommand.durationMs("0s"));
        for (String bad : List.of("30", "-5s", "1.5s", "2h", "s", "", "30 s", "1234567890s")) {
            assertEquals(-1, PerfSuiteCommand.durationMs(bad), bad);
        }
    }

    @Test
    void aZeroNegativeOrUnitlessDurationIsRefusedWithItsFormat() {
        for (String bad : List.of("0s", "-5s", "0ms", "30", "soon")) {
            Result r = suite("--duration", bad);
            assertEquals(1, r.exitCode(), bad);
            assertTrue(r.err().contains("fjord perf suite: --duration must be a positive whole number of ms, s or m, "
                    + "such as 500ms, 30s or 2m (not '" + bad + "')"), r.err());
        }
    }

    @Test
    void recordsAndDurationTogetherAreRefused() {
        Result r = suite("--records", "1000", "--duration", "3s");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("fjord perf suite: give --records or --duration, not both"), r.err());
    }
}
