package io.fjord.perf;

import io.fjord.api.TopicPartition;
import io.fjord.log.FileSlice;
import io.fjord.log.PartitionLog;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
import io.fjord.log.index.OffsetIndex;
import io.fjord.log.index.OffsetPosition;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The fetch path's lookup: from an offset to a {@link FileSlice} of whole batches (segment
 * search, offset-index search, batch-header scan), for offsets near the end of the log (what
 * consumers that keep up ask for) and in its oldest segment. The log holds 64 MiB of 16 KiB
 * batches of 1 KiB records in 8 MiB segments. {@code indexLookup*} time the offset-index search
 * alone on a full 1 MiB index (131072 entries), in its warm tail and in its cold head.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LogReadBenchmark {

    private static final int TARGETS = 4096;

    private Path root;
    private ThreadScheduler scheduler;
    private PartitionLog log;
    private OffsetIndex index;
    private long[] recentOffsets;
    private long[] oldOffsets;
    private long[] recentIndexTargets;
    private long[] oldIndexTargets;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("fjord-log-read");
        scheduler = new ThreadScheduler(1, "bench-log");
        log = PartitionLog.open(LogBenchmarkSupport.partitionDir(root), new TopicPartition("bench", 0),
                LogBenchmarkSupport.config(8 * 1024 * 1024, -1L), 0L, 0L, true, Time.SYSTEM, scheduler);
        ByteBuffer batch = LogBenchmarkSupport.batchOfAbout(16 * 1024, System.currentTimeMillis());
        while (log.size() < 64L * 1024 * 1024) {
            log.append(batch, 0);
        }
        long end = log.logEndOffset();
        long firstSegmentEnd = log.segmentBaseOffsets()[1];
        Random random = new Random(1);
        recentOffsets = new long[TARGETS];
        oldOffsets = new long[TARGETS];
        for (int i = 0; i < TARGETS; i++) {
            recentOffsets[i] = end - 1 - random.nextInt(1000);
            oldOffsets[i] = random.nextInt((int) firstSegmentEnd);
        }
        index = new OffsetIndex(root.resolve("bench.index"), 0, 1024 * 1024);
        int entries = index.maxEntries();
        for (int i = 0; i < entries; i++) {
            index.append(16L * i, 16 * 1024 * i);
        }
        recentIndexTargets = new long[TARGETS];
        oldIndexTargets = new long[TARGETS];
        for (int i = 0; i < TARGETS; i++) {
            recentIndexTargets[i] = 16L * (entries - 1 - random.nextInt(500)) + random.nextInt(16);
            oldIndexTargets[i] = 16L * random.nextInt(entries / 2) + random.nextInt(16);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        index.close();
        log.close();
        scheduler.close();
        LogBenchmarkSupport.deleteRecursively(root);
    }

    private int next() {
        cursor = (cursor + 1) & (TARGETS - 1);
        return cursor;
    }

    @Benchmark
    public FileSlice readRecent() {
        return log.read(recentOffsets[next()], 1024 * 1024, Long.MAX_VALUE, true);
    }

    @Benchmark
    public FileSlice readOld() {
        return log.read(oldOffsets[next()], 1024 * 1024, Long.MAX_VALUE, true);
    }

    @Benchmark
    public OffsetPosition indexLookupRecent() {
        return index.lookup(recentIndexTargets[next()]);
    }

    @Benchmark
    public OffsetPosition indexLookupOld() {
        return index.lookup(oldIndexTargets[next()]);
    }
}
