package io.fjord.perf;

import io.fjord.api.TopicPartition;
import io.fjord.log.PartitionLog;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Opening a partition log after an unclean stop with the recovery point at 0: every batch is
 * re-read and CRC-checked, both indexes are rebuilt and the segments fsynced. A scaled-down run:
 * 64 MiB in 16 KiB batches over 8 MiB segments, page cache warm after the first run; multiply
 * the time by 16 for a GiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, batchSize = 1)
@Measurement(iterations = 3, batchSize = 1)
@Fork(1)
public class LogRecoveryBenchmark {

    static final long LOG_BYTES = 64L * 1024 * 1024;

    private Path root;
    private ThreadScheduler scheduler;
    private PartitionLog recovered;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("fjord-log-recovery");
        scheduler = new ThreadScheduler(1, "bench-log");
        try (PartitionLog log = open(true)) {
            ByteBuffer batch = LogBenchmarkSupport.batchOfAbout(16 * 1024, System.currentTimeMillis());
            while (log.size() < LOG_BYTES) {
                log.append(batch, 0);
            }
        }
    }

    private PartitionLog open(boolean clean) throws IOException {
        return PartitionLog.open(LogBenchmarkSupport.partitionDir(root), new TopicPartition("bench", 0),
                LogBenchmarkSupport.config(8 * 1024 * 1024, -1L), 0L, 0L, clean, Time.SYSTEM, scheduler);
    }

    @TearDown(Level.Invocation)
    public void closeRecovered() throws IOException {
        if (recovered != null) {
            recovered.close();
            recovered = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        scheduler.close();
        LogBenchmarkSupport.deleteRecursively(root);
    }

    @Benchmark
    public long recoverUnclean() throws IOException {
        recovered = open(false);
        return recovered.logEndOffset();
    }
}
