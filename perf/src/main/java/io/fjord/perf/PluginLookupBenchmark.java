package io.fjord.perf;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.kernel.PluginRuntime;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What choosing a plugin costs: discovery of every extension point's providers (once per
 * process, at start-up), and creating a configured codec by name from a discovered runtime
 * (once per producer or per topic config change).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PluginLookupBenchmark {

    private static final Map<String, String> CONFIG = Map.of("compression.zstd.level", "3");

    private PluginRuntime runtime;

    /** A fresh runtime per iteration: it keeps every plugin it created until closed. */
    @Setup(Level.Iteration)
    public void discover() {
        runtime = PluginRuntime.discover(null);
        runtime.plugins();
    }

    @TearDown(Level.Iteration)
    public void close() {
        runtime.close();
    }

    @Benchmark
    public int discoverAllExtensionPoints() {
        try (PluginRuntime fresh = PluginRuntime.discover(null)) {
            return fresh.plugins().size();
        }
    }

    @Benchmark
    public CompressionCodec createCodecByName() {
        return runtime.create(CompressionCodec.class, "zstd", CONFIG);
    }
}
