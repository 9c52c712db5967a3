package io.fjord.log;

import io.fjord.api.TopicPartition;
import io.fjord.common.Scheduler;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.RecordBatchView;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The segments of one partition log and the offsets tied to their bytes, as Kafka's LocalLog:
 * the folder, the segment list, the log end offset and the recovery point, with roll, append at
 * the end, read, flush, truncation and deletion of the folder. {@link PartitionLog} builds the
 * partition's API on top (log start offset, high watermark, leader epochs, producer state,
 * validation) and owns the lock every writer takes.
 *
 * <p>Invariants: the segments meet {@link LogSegments}' invariants; {@link #logEndOffset} is the
 * offset after the last batch of the log (the active segment's base offset when it is empty);
 * {@code recoveryPoint <= logEndOffset} and every batch below the recovery point is fsynced.
 *
 * <p>Concurrency: changed only by the partition's writer under its lock, except flushes, which
 * also run without it and are serialized with each other and with truncation by
 * {@link #flushLock}. Readers take no lock; the order of publication that makes that safe is
 * described on {@link PartitionLog}.
 */
final class LocalLog {

    private static final String DELETE_DIR_SUFFIX = "-delete";

    private final TopicPartition topicPartition;
    private final Time time;
    private final Scheduler scheduler;
    private final SegmentDeletion deletion;
    private final Object flushLock = new Object();
    private volatile Path dir;
    private volatile LogConfig config;
    private volatile LogSegments segments;
    private volatile long logEndOffset;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean closed;

    LocalLog(TopicPartition topicPartition, Path dir, LogConfig config, Time time, Scheduler scheduler,
             LogSegments segments, long logEndOffset) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.scheduler = scheduler;
        this.segments = segments;
        this.logEndOffset = logEndOffset;
        this.recoveryPoint = logEndOffset;
        this.lastFlushMs = time.milliseconds();
        this.deletion = new SegmentDeletion(scheduler, () -> this.config.fileDeleteDelayMs());
    }

    /** The folder name of a partition log: {@code <topic>-<partition>}. */
    static String dirName(TopicPartition tp) {
        return tp.topic() + "-" + tp.partition();
    }

    /** The partition a log folder belongs to, from its name; null if the name is not one. */
    static TopicPartition parseDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return null;
        }
        try {
            int partition = Integer.parseInt(name.substring(dash + 1));
            return partition < 0 ? null : new TopicPartition(name.substring(0, dash), partition);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether a folder name marks a partition log that is being deleted. */
    static boolean isDeletedDirName(String name) {
        return name.endsWith(DELETE_DIR_SUFFIX);
    }

    Path dir() {
        return dir;
    }

    LogConfig config() {
        return config;
    }

    void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    LogSegments segments() {
        return segments;
    }

    long logEndOffset() {
        return logEndOffset;
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new LogException(Errors.KAFKA_STORAGE_ERROR, "Log " + topicPartition + " is closed");
        }
    }

    // ---- append and roll

    /**
     * Starts a new active segment at {@code baseOffset}, at least the log end offset. Like Kafka,
     * the finished segment is fsynced soon, off the append path, after {@code snapshot}, the
     * producer-state file written for this roll; the flush's fsync of the folder then makes its
     * name durable too.
     */
    LogSegment roll(long baseOffset, Path snapshot) throws IOException {
        LogSegments segs = segments;
        LogSegment fresh = LogSegment.create(dir, baseOffset, config, time.milliseconds());
        segs.active().onBecomeInactive();
        segments = segs.withActive(fresh);
        scheduler.schedule("flush-rolled-segment", () -> {
            try {
                OffsetCheckpointFile.fsyncIfExists(snapshot);
            } catch (IOException e) {
                throw LogSegment.storageError("Flush of " + snapshot + " failed", e);
            }
            flush(baseOffset);
        }, 0, 0);
        return fresh;
    }

    /** Appends whole batches, offsets set, to the active segment, then publishes the new end. */
    void append(ByteBuffer records, List<RecordBatchView> batches) throws IOException {
        segments.active().append(records, batches);
        logEndOffset = batches.get(batches.size() - 1).lastOffset() + 1;
    }

    // ---- read

    /**
     * Whole batches from the one holding {@code startOffset} in {@code segs}, bounded as
     * {@link PartitionLog#read} describes; empty if no segment has any.
     */
    FileSlice read(LogSegments segs, long startOffset, int maxBytes, long bound, boolean minOneBatch) {
        try {
            for (LogSegment segment : segs.from(startOffset)) {
                FileSlice slice = segment.read(startOffset, maxBytes, bound, minOneBatch);
                if (slice != null) {
                    return slice;
                }
            }
        } catch (ClosedChannelException e) {
            throw new LogException(Errors.KAFKA_STORAGE_ERROR, "Segment of " + topicPartition
                    + " was closed during the read", e);
        } catch (IOException e) {
            throw LogSegment.storageError("Read of " + topicPartition + " failed", e);
        }
        return FileSlice.empty(startOffset);
    }

    // ---- durability

    /** fsyncs segments with data below {@code offset}; the recovery point moves up to it. */
    void flush(long offset) {
        synchronized (flushLock) {
            long end = Math.min(offset, logEndOffset);
            LogSegments segs = segments;
            long from = recoveryPoint;
            if (end <= from) {
                return;
            }
            try {
                for (LogSegment segment : segs.between(from, end)) {
                    segment.flush();
                }
            } catch (ClosedChannelException e) {
                // Retention removed the segment meanwhile; its data no longer needs to be durable.
                return;
            } catch (IOException e) {
                throw LogSegment.storageError("Flush of " + topicPartition + " failed", e);
            }
            if (!closed) {
                // New segment files are only durable once the folder's entries are.
                try {
                    OffsetCheckpointFile.fsyncDirectory(dir);
                } catch (IOException e) {
                    throw LogSegment.storageError("Flush of " + dir + " failed", e);
                }
            }
            recoveryPoint = Math.max(recoveryPoint, end);
            lastFlushMs = time.milliseconds();
        }
    }

    /** Whether {@code flush.ms} has passed since the last flush and something is unflushed. */
    boolean flushDue() {
        return time.milliseconds() - lastFlushMs >= config.flushMs() && recoveryPoint < logEndOffset;
    }

    // ---- removal of segments

    /** Drops the {@code count} oldest segments (retention); they stay readable for a while. */
    LogSegments removeOldest(int count, long logStartOffset) throws IOException {
        LogSegments segs = segments;
        LogSegments remaining = segs.withoutOldest(count);
        segments = remaining;
        recoveryPoint = Math.max(recoveryPoint, logStartOffset);
        for (LogSegment deleted : segs.all().subList(0, count)) {
            deletion.deleteLater(deleted);
        }
        return remaining;
    }

    /** Swaps the cleaner's segment in for {@code replaced} (see {@link SegmentSwap}). */
    void replaceSegments(LogSegment cleaned, List<LogSegment> replaced, SegmentSwap.Listener listener)
            throws IOException {
        SegmentSwap.swap(dir, segments, cleaned, replaced, listener, swapped -> segments = swapped, deletion);
    }

    /**
     * Removes every batch whose last offset reaches {@code offset} (see
     * {@link LogTruncation#truncateTo}); the end offset is published before the new list, so a
     * reader that reads the new end reads only offsets below it, the same bytes in either list.
     *
     * @return the new log end offset
     */
    long truncateTo(long offset) throws IOException {
        synchronized (flushLock) {
            LogTruncation.Result result = LogTruncation.truncateTo(dir, segments, offset, config,
                    time.milliseconds(), deletion);
            long end = result.logEndOffset();
            recoveryPoint = Math.min(recoveryPoint, end);
            logEndOffset = end;
            segments = result.segments();
            return end;
        }
    }

    /** Removes every segment and starts an empty one at {@code offset}, which is also the recovery point. */
    void truncateFullyAndStartAt(long offset) throws IOException {
        synchronized (flushLock) {
            LogTruncation.Result result = LogTruncation.truncateFully(dir, segments, offset, config,
                    time.milliseconds(), deletion);
            logEndOffset = offset;
            segments = result.segments();
            recoveryPoint = offset;
        }
    }

    // ---- lifecycle

    /** Flushes and closes every segment, writing their final time-index entries and trimming their indexes. */
    void close() throws IOException {
        flush(Long.MAX_VALUE);
        closed = true;
        for (LogSegment s : segments.all()) {
            s.close();
        }
    }

    /**
     * Renames the folder to {@code <topic>-<partition>.<id>-delete} at once (so a restart never
     * loads it) and removes its files {@code file.delete.delay.ms} later.
     */
    void delete() throws IOException {
        closed = true;
        Path deleted = dir.resolveSibling(dir.getFileName() + "." + UUID.randomUUID().toString().replace("-", "")
                + DELETE_DIR_SUFFIX);
        Files.move(dir, deleted);
        OffsetCheckpointFile.fsyncDirectory(deleted.getParent());
        dir = deleted;
        LogSegments segs = segments;
        scheduler.schedule("delete-log", () -> {
            try {
                for (LogSegment s : segs.all()) {
                    s.closeAndDelete();
                }
                deleteRecursively(deleted);
            } catch (IOException e) {
                throw LogSegment.storageError("Deleting " + deleted + " failed", e);
            }
        }, config.fileDeleteDelayMs(), 0);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        if (Files.isDirectory(path)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    deleteRecursively(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }
}
