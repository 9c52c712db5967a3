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
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Appending batches of 1 KiB records to a partition log (validation, offset assignment, write,
 * sparse index, roll) against plain {@code FileChannel.write}s of the same bytes on the same
 * disk. Throughput in batches per second; multiply by the batch size for bytes per second.
 * Nothing fsyncs on the append path (Kafka's default leaves that to the page cache), but the
 * log, like Kafka, fsyncs each segment it rolls on a background thread, so its data reaches
 * the disk. Two raw floors: {@code rawFileChannelWrite} rewrites one file that is cut back
 * between iterations, so its dirty pages are dropped before they are ever written back (the
 * page cache's speed, which no sustained writer keeps); {@code rawSegmentedWrite} writes the
 * same segment files the log would, fsyncing each finished one on a background thread (the same
 * bytes made durable the same way, without the log's work). Old segments are removed between
 * iterations so the disk does not fill, for both as the log's retention removes them: out of the
 * list at once, so an fsync still queued for one is skipped, and off the disk on the background
 * thread, overlapping the next iteration.
 * Each trial starts after a {@code sync}, so no benchmark pays for the writeback of the bytes the
 * one before it left dirty.
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
    private ExecutorService rawFlusher;
    private FileChannel rawSegment;
    private long rawSegmentPosition;
    private int rawSegments;
    /** The raw segment files by number, open until deleted; only the benchmark thread touches the map. */
    private final Map<Integer, FileChannel> rawSegmentFiles = new HashMap<>();

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        if (new ProcessBuilder("sync").inheritIO().start().waitFor() != 0) {
            throw new IOException("sync failed");
        }
        root = Files.createTempDirectory("fjord-log-append");
        scheduler = new ThreadScheduler(1, "bench-log");
        log = PartitionLog.open(LogBenchmarkSupport.partitionDir(root), new TopicPartition("bench", 0),
                LogBenchmarkSupport.config(segmentMiB * 1024 * 1024, 2L * segmentMiB * 1024 * 1024), 0L, 0L, true, Time.SYSTEM,
                scheduler);
        raw = FileChannel.open(root.resolve("raw.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        batch = LogBenchmarkSupport.batchOfAbout(batchBytes, System.currentTimeMillis());
        rawFlusher = Executors.newSingleThreadExecutor();
        rawSegment = openRawSegment();
    }

    private FileChannel openRawSegment() throws IOException {
        FileChannel channel = FileChannel.open(root.resolve("raw-segment-" + (++rawSegments) + ".bin"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        rawSegmentFiles.put(rawSegments, channel);
        return channel;
    }

    @TearDown(Level.Iteration)
    public void trim() throws IOException {
        log.deleteOldSegments();
        raw.truncate(0);
        rawPosition = 0;
        // The log's retention keeps two segments' worth: the raw segments keep the active one and the last.
        // As the log's retention: an old file leaves the list at once, so a pending fsync skips
        // it, and its removal from disk runs on the background thread, overlapping the next iteration.
        for (int old = rawSegments - 2; old >= 1; old--) {
            FileChannel channel = rawSegmentFiles.remove(old);
            if (channel != null) {
                channel.close();
                Path file = root.resolve("raw-segment-" + old + ".bin");
                rawFlusher.execute(() -> delete(file));
            }
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        log.close();
        raw.close();
        rawFlusher.shutdown();
        rawFlusher.awaitTermination(1, TimeUnit.MINUTES);
        for (FileChannel channel : rawSegmentFiles.values()) {
            channel.close();
        }
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

    @Benchmark
    public long rawSegmentedWrite() throws IOException {
        if (rawSegmentPosition > 0 && rawSegmentPosition + batch.remaining() > segmentMiB * 1024L * 1024L) {
            FileChannel finished = rawSegment;
            rawFlusher.execute(() -> {
                try {
                    finished.force(true);
                } catch (ClosedChannelException deleted) {
                    // Removed before its turn came, as the log skips a segment its retention removed.
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            rawSegment = openRawSegment();
            rawSegmentPosition = 0;
        }
        ByteBuffer bytes = batch.duplicate();
        while (bytes.hasRemaining()) {
            rawSegmentPosition += rawSegment.write(bytes, rawSegmentPosition);
        }
        return rawSegmentPosition;
    }
}
