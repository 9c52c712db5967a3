package io.fjord.perf;

import io.fjord.api.TopicPartition;
import io.fjord.log.LogAppendInfo;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Appending batches of 1 KiB records to a partition log (validation, offset assignment, write,
 * sparse index) against a plain {@code FileChannel.write} of the same bytes to a file on the
 * same disk. Throughput in batches per second; multiply by the batch size for bytes per second.
 * Neither side fsyncs on the append path (Kafka's default leaves that to the page cache), but
 * the log, like Kafka, fsyncs each segment it rolls on a background thread, which puts real
 * disk writes into its runs that the raw file never sees. Old segments are deleted between
 * iterations so the disk does not fill.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LogAppendBenchmark {

    @Param({"16384", "1048576"})
    int batchBytes;

    /** Segment size: each roll schedules an fsync of the finished segment, as Kafka does. */
    @Param({"128"})
    int segmentMiB;

    private Path root;
    private ThreadScheduler scheduler;
    private PartitionLog log;
    private FileChannel raw;
    private long rawPosition;
    private ByteBuffer batch;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("fjord-log-append");
        scheduler = new ThreadScheduler(1, "bench-log");
        log = PartitionLog.open(LogBenchmarkSupport.partitionDir(root), new TopicPartition("bench", 0),
                LogBenchmarkSupport.config(segmentMiB * 1024 * 1024, 2L * segmentMiB * 1024 * 1024), 0L, 0L, true, Time.SYSTEM,
                scheduler);
        raw = FileChannel.open(root.resolve("raw.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        batch = LogBenchmarkSupport.batchOfAbout(batchBytes, System.currentTimeMillis());
    }

    @TearDown(Level.Iteration)
    public void trim() throws IOException {
        log.deleteOldSegments();
        raw.truncate(0);
        rawPosition = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        log.close();
        raw.close();
        scheduler.close();
        LogBenchmarkSupport.deleteRecursively(root);
    }

    @Benchmark
    public LogAppendInfo logAppend() {
        return log.append(batch, 0);
    }

    @Benchmark
    public long rawFileChannelWrite() throws IOException {
        ByteBuffer bytes = batch.duplicate();
        while (bytes.hasRemaining()) {
            rawPosition += raw.write(bytes, rawPosition);
        }
        return rawPosition;
    }
}
