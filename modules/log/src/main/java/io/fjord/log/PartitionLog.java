package io.fjord.log;

import io.fjord.common.Time;
import io.fjord.common.Scheduler;
import io.fjord.api.TimestampType;
import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchView;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log of one partition: a folder {@code <topic>-<partition>} of segments, the newest of
 * which (the active segment) takes appends. This class is the partition's API (append, read,
 * offset lookups, high watermark, leader epochs, producer state, flush, retention) and owns the
 * state they share; {@link LogLoader} opens and recovers the folder, {@link LogSegments} is the
 * segment list and {@link LogSegment} one segment.
 *
 * <p>Invariants: the segments meet {@link LogSegments}' invariants (at least one, sorted by base
 * offset, each holding offsets below the next one's base offset); {@code logStartOffset <=
 * highWatermark <= logEndOffset}; every batch below the recovery point has been fsynced.
 *
 * <p>Concurrency: one writer at a time (appends, rolls, retention, close take {@link #lock}),
 * any number of readers without a lock. The writer publishes through volatile fields, in this
 * order: segment bytes and index entries, then the segment's size, then {@link #logEndOffset}.
 * A new segment list is a new {@link LogSegments} stored in the volatile {@link #segments}
 * field; a list is never changed. A reader reads {@code logEndOffset} first, then {@code segments},
 * then a segment's size; each volatile read sees everything written before the matching
 * volatile write, so every batch below the end offset it read is complete in the file and
 * indexed, and the segment list it holds covers it. A segment that retention removes stays
 * readable through its open channel until {@code file.delete.delay.ms} later, and so does a
 * segment the cleaner replaced ({@link #replaceSegments}): the cleaner rewrites inactive segments
 * without the lock and swaps the result in under it; offsets never change.
 */
public final class PartitionLog implements AutoCloseable {

    private static final String DELETE_DIR_SUFFIX = "-delete";

    private final TopicPartition topicPartition;
    private volatile Path dir;
    private volatile LogConfig config;
    private final Time time;
    private final Scheduler scheduler;
    private final CodecRegistry codecs;
    private final ReentrantLock lock = new ReentrantLock();
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;
    private final Object flushLock = new Object();

    private volatile LogSegments segments;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile boolean closed;
    private long unflushedMessages;
    private volatile long lastFlushMs;

    private PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, Time time, Scheduler scheduler,
                         CodecRegistry codecs, LogLoader.LoadedLog loaded) {
        this.topicPartition = topicPartition;
        this.codecs = codecs;
        this.dir = dir;
        this.config = config;
        this.time = time;
        this.scheduler = scheduler;
        this.producerState = loaded.producerState();
        this.epochCache = loaded.epochCache();
        this.segments = loaded.segments();
        this.logEndOffset = loaded.logEndOffset();
        this.logStartOffset = loaded.logStartOffset();
        this.recoveryPoint = logEndOffset;
        this.highWatermark = logStartOffset;
        this.lastFlushMs = time.milliseconds();
    }

    /** The folder name of a partition log: {@code <topic>-<partition>}. */
    public static String dirName(TopicPartition tp) {
        return tp.topic() + "-" + tp.partition();
    }

    /** The partition a log folder belongs to, from its name; null if the name is not one. */
    public static TopicPartition parseDirName(String name) {
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

    /**
     * Opens (or creates) the log in {@code dir}.
     *
     * @param recoveryPoint the checkpointed offset below which data is known to be on disk
     * @param logStartOffset the checkpointed log start offset (0 if unknown)
     * @param hadCleanShutdown whether the broker wrote its clean-shutdown marker; if not, every
     *     batch from the recovery point on is re-validated and the log cut at the first bad byte
     */
    public static PartitionLog open(Path dir, TopicPartition tp, LogConfig config, long recoveryPoint,
                                    long logStartOffset, boolean hadCleanShutdown, Time time, Scheduler scheduler)
            throws IOException {
        return open(dir, tp, config, recoveryPoint, logStartOffset, hadCleanShutdown, time, scheduler,
                CodecRegistry.NONE);
    }

    /**
     * As {@link #open(Path, TopicPartition, LogConfig, long, long, boolean, Time, Scheduler)}, with
     * the codecs that read compressed records: a compacted log checks every record's key on
     * append and its cleaner rewrites compressed batches.
     */
    public static PartitionLog open(Path dir, TopicPartition tp, LogConfig config, long recoveryPoint,
                                    long logStartOffset, boolean hadCleanShutdown, Time time, Scheduler scheduler,
                                    CodecRegistry codecs) throws IOException {
        Files.createDirectories(dir);
        LogLoader.LoadedLog loaded = new LogLoader(dir, config, time).load(recoveryPoint, logStartOffset,
                hadCleanShutdown);
        return new PartitionLog(tp, dir, config, time, scheduler, codecs, loaded);
    }

    // ---- accessors

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies a changed topic config; the active segment keeps its preallocated indexes. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    /** The offset the next appended record gets. */
    public long logEndOffset() {
        return logEndOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Offsets below this are fsynced. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** Moves the high watermark, clamped to {@code [logStartOffset, logEndOffset]}. */
    public void updateHighWatermark(long offset) {
        lock.lock();
        try {
            highWatermark = Math.max(logStartOffset, Math.min(offset, logEndOffset));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the high watermark forward to {@code offset} (clamped to the log end), never back: a
     * leader's appending threads read the log end after their own appends and may report those
     * ends out of order.
     */
    public void maybeIncrementHighWatermark(long offset) {
        lock.lock();
        try {
            highWatermark = Math.max(highWatermark, Math.max(logStartOffset, Math.min(offset, logEndOffset)));
        } finally {
            lock.unlock();
        }
    }

    /** The latest leader epoch that appended to this log, or -1. */
    public int latestEpoch() {
        lock.lock();
        try {
            return epochCache.latestEpoch();
        } finally {
            lock.unlock();
        }
    }

    /** Each leader epoch and the offset it started at, oldest first (a copy). */
    public SortedMap<Integer, Long> leaderEpochs() {
        lock.lock();
        try {
            return epochCache.entries();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Where leader epoch {@code requestedEpoch} ended in this log, as Kafka's leader answers
     * OffsetForLeaderEpoch; null when the log knows no such epoch (see {@link
     * LeaderEpochCache#endOffsetFor}). Fjord records an epoch at its first append, where Kafka
     * records it when leadership starts: so the leader's own epoch, and any epoch between the
     * latest recorded one and it, end at the log end even before the leader appended, as they would
     * in Kafka's cache.
     *
     * @param leaderEpoch the epoch in which this replica leads the partition, or -1 if it does not
     *     lead (a follower knows only the epochs it fetched)
     */
    public EpochEndOffset endOffsetForEpoch(int requestedEpoch, int leaderEpoch) {
        lock.lock();
        try {
            int latest = epochCache.latestEpoch();
            if (requestedEpoch > latest && requestedEpoch <= leaderEpoch) {
                boolean ownEpochOrNoneBefore = requestedEpoch == leaderEpoch || latest < 0;
                return new EpochEndOffset(ownEpochOrNoneBefore ? requestedEpoch : latest, logEndOffset);
            }
            return epochCache.endOffsetFor(requestedEpoch, logEndOffset);
        } finally {
            lock.unlock();
        }
    }

    public int numberOfSegments() {
        return segments.count();
    }

    /** The base offsets of the segments, oldest first. */
    public long[] segmentBaseOffsets() {
        return segments.baseOffsets();
    }

    /** Bytes in all segments. */
    public long size() {
        return segments.sizeInBytes();
    }

    /** The producer's state, or null; for the broker's DescribeProducers and for tests. */
    public ProducerStateEntry producerState(long producerId) {
        lock.lock();
        try {
            ProducerStateEntry entry = producerState.entry(producerId);
            return entry == null ? null : entry.copy();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets idle idempotent producers (the manager's {@code producer.id.expiration.ms} job).
     *
     * @return how many were forgotten
     */
    public int removeExpiredProducers(long expirationMs) {
        lock.lock();
        try {
            return producerState.removeExpired(time.milliseconds(), expirationMs);
        } finally {
            lock.unlock();
        }
    }

    // ---- append

    /**
     * Validates and appends the batches in {@code records} (position to limit) as one unit: all
     * of them or none.
     *
     * <p>Buffer ownership: for the duration of the call the log owns {@code records}; it writes
     * the assigned base offsets, {@code leaderEpoch} and, under LogAppendTime, the timestamp into
     * the buffer in place (so the buffer must be writable). Position and limit are not moved.
     * After the call the caller may reuse the buffer.
     *
     * @throws LogException with Kafka's error code when a batch is invalid, an idempotence rule is
     *     broken or the disk fails; nothing was written then
     */
    public LogAppendInfo append(ByteBuffer records, int leaderEpoch) {
        if (records.isReadOnly()) {
            throw new IllegalArgumentException("append needs a writable buffer: offsets are assigned in place");
        }
        LogConfig cfg = config;
        long now = time.milliseconds();
        List<RecordBatchView> batches = LogValidator.validate(records, cfg, now, topicPartition, codecs);
        lock.lock();
        try {
            if (closed) {
                throw new LogException(Errors.KAFKA_STORAGE_ERROR, "Log " + topicPartition + " is closed");
            }
            long next = logEndOffset;
            long firstOffset = next;
            ProducerStateManager.Staging staging = producerState.begin();
            for (RecordBatchView batch : batches) {
                long last = next + batch.lastOffsetDelta();
                BatchMetadata duplicate = staging.checkAndStage(batch, next, last);
                if (duplicate != null) {
                    if (batches.size() != 1) {
                        throw new LogException(Errors.INVALID_RECORD,
                                "A retried batch may not share an append with other batches");
                    }
                    return new LogAppendInfo(duplicate.firstOffset(), duplicate.lastOffset(), duplicate.timestamp(),
                            -1L, logStartOffset, 0, true);
                }
                next = last + 1;
            }
            long lastOffset = next - 1;
            boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
            long maxTimestamp = -1L;
            long offset = firstOffset;
            for (RecordBatchView batch : batches) {
                batch.setBaseOffset(offset);
                batch.setPartitionLeaderEpoch(leaderEpoch);
                if (logAppendTime) {
                    batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, now);
                }
                maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp());
                offset = batch.lastOffset() + 1;
            }
            int bytes = records.remaining();
            LogSegment active = maybeRoll(cfg, bytes, maxTimestamp, firstOffset, lastOffset, now);
            try {
                if (epochCache.assign(leaderEpoch, firstOffset)) {
                    epochCache.write();
                }
                active.append(records, batches);
            } catch (IOException e) {
                throw LogSegment.storageError("Append to " + topicPartition + " failed", e);
            }
            producerState.commit(staging, next);
            logEndOffset = next;
            unflushedMessages += next - firstOffset;
            if (unflushedMessages >= cfg.flushMessages()) {
                flush();
            }
            return new LogAppendInfo(firstOffset, lastOffset, maxTimestamp, logAppendTime ? now : -1L,
                    logStartOffset, bytes, false);
        } finally {
            lock.unlock();
        }
    }

    /** Rolls to a new segment at {@code firstOffset} when the active one cannot take the append. */
    private LogSegment maybeRoll(LogConfig cfg, int bytes, long maxTimestamp, long firstOffset, long lastOffset,
                                 long now) {
        LogSegment active = segments.active();
        if (active.size() == 0 || !active.shouldRoll(cfg, bytes, maxTimestamp, lastOffset, now)) {
            return active;
        }
        try {
            return roll(firstOffset);
        } catch (IOException e) {
            throw LogSegment.storageError("Roll of " + topicPartition + " failed", e);
        }
    }

    /** Starts a new active segment at {@code baseOffset} (the log end offset). Caller holds the lock. */
    private LogSegment roll(long baseOffset) throws IOException {
        LogSegments segs = segments;
        LogSegment fresh = LogSegment.create(dir, baseOffset, config, time.milliseconds());
        segs.active().onBecomeInactive();
        segments = segs.withActive(fresh);
        producerState.takeSnapshot();
        // Like Kafka, the finished segment is fsynced soon, off the append path.
        scheduler.schedule("flush-rolled-segment", () -> flushQuietly(baseOffset), 0, 0);
        return fresh;
    }

    /** Rolls now if the active segment has data (for tests and for {@code segment.ms} checks). */
    public void roll() {
        lock.lock();
        try {
            if (segments.active().size() > 0) {
                roll(logEndOffset);
            }
        } catch (IOException e) {
            throw LogSegment.storageError("Roll of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    // ---- read

    /**
     * Whole batches from the one holding {@code startOffset}: at most {@code maxBytes} of them,
     * but at least one when {@code minOneBatch} even if it is larger, and none whose last offset
     * reaches {@code maxOffset} (pass the high watermark for consumers, the log end offset for
     * followers). Lock-free. Reads stop at the end of a segment.
     *
     * @throws LogException {@link Errors#OFFSET_OUT_OF_RANGE} if {@code startOffset} lies outside
     *     {@code [logStartOffset, logEndOffset]}
     */
    public FileSlice read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) {
        long end = logEndOffset;
        LogSegments segs = segments;
        long start = logStartOffset;
        if (startOffset < start || startOffset > end) {
            throw new LogException(Errors.OFFSET_OUT_OF_RANGE, "Offset " + startOffset + " is outside ["
                    + start + ", " + end + "] of " + topicPartition);
        }
        long bound = Math.min(maxOffset, end);
        if (startOffset >= bound) {
            return FileSlice.empty(startOffset);
        }
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

    /** ListOffsets' special timestamp for the log start offset. */
    public static final long EARLIEST_TIMESTAMP = -2L;
    /** ListOffsets' special timestamp for the log end offset. */
    public static final long LATEST_TIMESTAMP = -1L;
    /** ListOffsets' special timestamp for the batch with the largest timestamp. */
    public static final long MAX_TIMESTAMP = -3L;

    /**
     * ListOffsets: the offset for {@code timestamp}, or for one of {@link #EARLIEST_TIMESTAMP},
     * {@link #LATEST_TIMESTAMP}, {@link #MAX_TIMESTAMP}. For a real timestamp, the first record
     * whose timestamp is at least it, found through the time indexes and a walk over that
     * batch's records; a compressed batch is answered with its first offset and max timestamp,
     * since the log never decompresses. For the max timestamp, the first record carrying it.
     *
     * @return null if no batch has such a timestamp
     */
    public TimestampOffset offsetForTimestamp(long timestamp) {
        long start = logStartOffset;
        if (timestamp == EARLIEST_TIMESTAMP) {
            return new TimestampOffset(-1L, start);
        }
        if (timestamp == LATEST_TIMESTAMP) {
            return new TimestampOffset(-1L, logEndOffset);
        }
        LogSegments segs = segments;
        try {
            if (timestamp == MAX_TIMESTAMP) {
                LogSegment best = null;
                for (LogSegment s : segs.all()) {
                    if (s.maxTimestampSoFar() >= 0 && (best == null || s.maxTimestampSoFar() > best.maxTimestampSoFar())) {
                        best = s;
                    }
                }
                if (best == null) {
                    return null;
                }
                return best.findOffsetByTimestamp(best.maxTimestampSoFar(), start);
            }
            if (timestamp < 0) {
                throw new LogException(Errors.INVALID_REQUEST, "Unknown special timestamp " + timestamp);
            }
            for (LogSegment s : segs.all()) {
                if (s.maxTimestampSoFar() >= timestamp || s == segs.active()) {
                    TimestampOffset found = s.findOffsetByTimestamp(timestamp, start);
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw LogSegment.storageError("Timestamp lookup in " + topicPartition + " failed", e);
        }
    }

    // ---- durability

    /** fsyncs every segment holding data at or above the recovery point, then moves it to the end. */
    public void flush() {
        flushQuietly(Long.MAX_VALUE);
    }

    /** fsyncs segments with data below {@code offset}; the recovery point moves up to it. */
    private void flushQuietly(long offset) {
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
        if (offset == Long.MAX_VALUE) {
            lock.lock();
            try {
                unflushedMessages = 0;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Flushes if {@code flush.ms} has passed since the last flush (the manager's flush job). */
    public void flushIfDue() {
        if (time.milliseconds() - lastFlushMs >= config.flushMs() && recoveryPoint < logEndOffset) {
            flush();
        }
    }

    // ---- retention

    /**
     * DeleteRecords: moves the log start offset to {@code offset}; whole segments below it go
     * with the next {@link #deleteOldSegments()}.
     *
     * @throws LogException {@link Errors#OFFSET_OUT_OF_RANGE} if the offset is above the high watermark
     */
    public void deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            if (offset > highWatermark || offset < 0) {
                throw new LogException(Errors.OFFSET_OUT_OF_RANGE, "Cannot delete records before " + offset
                        + ": the high watermark is " + highWatermark);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                if (epochCache.truncateFromStart(offset)) {
                    epochCache.write();
                }
            }
        } catch (IOException e) {
            throw LogSegment.storageError("Writing the leader epochs of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes the oldest whole segments that retention allows: those entirely below the log
     * start offset, those whose largest timestamp is older than {@code retention.ms}, and the
     * oldest ones while the log is larger than {@code retention.bytes}. Never the active
     * segment. Files are renamed to {@code .deleted} now and removed {@code file.delete.delay.ms}
     * later, so readers holding a slice can finish.
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments() {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            LogConfig cfg = config;
            LogSegments segs = segments;
            List<LogSegment> oldestFirst = segs.all();
            int last = oldestFirst.size() - 1;
            long now = time.milliseconds();
            long start = logStartOffset;
            int byStart = 0;
            while (byStart < last && oldestFirst.get(byStart + 1).baseOffset() <= start) {
                byStart++;
            }
            int byTime = 0;
            if (cfg.retentionMs() >= 0) {
                while (byTime < last && now - oldestFirst.get(byTime).largestTimestamp() > cfg.retentionMs()) {
                    byTime++;
                }
            }
            int bySize = 0;
            if (cfg.retentionBytes() >= 0) {
                long excess = segs.sizeInBytes() - cfg.retentionBytes();
                while (bySize < last && excess - oldestFirst.get(bySize).size() >= 0) {
                    excess -= oldestFirst.get(bySize).size();
                    bySize++;
                }
            }
            int count = Math.max(byStart, Math.max(byTime, bySize));
            if (count == 0) {
                return 0;
            }
            LogSegments remaining = segs.withoutOldest(count);
            segments = remaining;
            logStartOffset = Math.max(start, remaining.first().baseOffset());
            highWatermark = Math.max(highWatermark, logStartOffset);
            recoveryPoint = Math.max(recoveryPoint, logStartOffset);
            for (LogSegment deleted : oldestFirst.subList(0, count)) {
                deleteSegmentAsync(deleted);
            }
            producerState.deleteSnapshotsBefore(remaining.first().baseOffset());
            if (epochCache.truncateFromStart(logStartOffset)) {
                epochCache.write();
            }
            return count;
        } catch (IOException e) {
            throw LogSegment.storageError("Retention of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private void deleteSegmentAsync(LogSegment segment) throws IOException {
        segment.renameToDeleted();
        scheduler.schedule("delete-segment", () -> {
            try {
                segment.closeAndDelete();
            } catch (IOException e) {
                throw LogSegment.storageError("Deleting " + segment + " failed", e);
            }
        }, config.fileDeleteDelayMs(), 0);
    }

    // ---- compaction

    CodecRegistry codecs() {
        return codecs;
    }

    /** The current segment list, for the cleaner, which reads inactive segments without the lock. */
    LogSegments segmentList() {
        return segments;
    }

    /** The last offset of each producer's newest batch: the cleaner keeps those batches. */
    Map<Long, Long> producerLastOffsets() {
        lock.lock();
        try {
            return producerState.lastOffsets();
        } finally {
            lock.unlock();
        }
    }

    /** The steps of a swap, for tests that stop a cleaning between two of them. */
    enum SwapStep { CLEANED_WRITTEN, RENAMED_TO_SWAP, OLD_SEGMENTS_DELETED, SWAPPED_IN }

    /** Called after each step of a swap; a test's listener may throw to leave the files as a crash would. */
    interface SwapListener {
        SwapListener NONE = step -> { };

        void after(SwapStep step) throws IOException;
    }

    /**
     * Swaps the cleaner's {@code cleaned} segment (complete, fsynced, files ending {@code .cleaned})
     * in for the consecutive inactive segments {@code replaced}, in the order recovery relies on:
     * the files are renamed to {@code .swap}; the new list is published; the old segments are
     * renamed to {@code .deleted} (readers holding them finish, the files go
     * {@code file.delete.delay.ms} later); the {@code .swap} suffix is dropped. A crash before
     * every file is {@code .swap} leaves the old log, one after leaves the new one (see
     * {@link LogLoader}).
     *
     * @return false, leaving everything as it was, if the log closed or retention removed one of
     *     {@code replaced} meanwhile
     */
    boolean replaceSegments(LogSegment cleaned, List<LogSegment> replaced, SwapListener listener) throws IOException {
        lock.lock();
        try {
            LogSegments current = segments;
            if (closed || !current.containsAll(replaced) || replaced.contains(current.active())) {
                return false;
            }
            listener.after(SwapStep.CLEANED_WRITTEN);
            cleaned.changeFileSuffixes(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
            OffsetCheckpointFile.fsyncDirectory(dir);
            listener.after(SwapStep.RENAMED_TO_SWAP);
            segments = current.replace(replaced, cleaned);
            for (LogSegment old : replaced) {
                deleteSegmentAsync(old);
            }
            listener.after(SwapStep.OLD_SEGMENTS_DELETED);
            cleaned.changeFileSuffixes(LogSegment.SWAP_SUFFIX, "");
            OffsetCheckpointFile.fsyncDirectory(dir);
            listener.after(SwapStep.SWAPPED_IN);
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---- lifecycle

    /**
     * Clean close: flushes, writes the producer-state snapshot at the log end offset, writes the
     * final time-index entries and trims the indexes.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            flushQuietly(Long.MAX_VALUE);
            producerState.takeSnapshot();
            closed = true;
            for (LogSegment s : segments.all()) {
                s.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes the whole partition log: the folder is renamed to
     * {@code <topic>-<partition>.<id>-delete} at once (so a restart never loads it) and its
     * files are removed {@code file.delete.delay.ms} later.
     */
    public void delete() throws IOException {
        lock.lock();
        try {
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
        } finally {
            lock.unlock();
        }
    }

    /** Whether a folder name marks a partition log that is being deleted. */
    static boolean isDeletedDirName(String name) {
        return name.endsWith(DELETE_DIR_SUFFIX);
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

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + logEndOffset
                + ", segments=" + segments.count() + ")";
    }
}
