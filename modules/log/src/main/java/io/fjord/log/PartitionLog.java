package io.fjord.log;

import io.fjord.common.Time;
import io.fjord.common.Scheduler;
import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchView;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The log of one partition: a folder {@code <topic>-<partition>} of segments, the newest of
 * which (the active segment) takes appends. This class is the partition's API (append, read,
 * offset lookups, high watermark, leader epochs, producer state, flush, retention, truncation) as
 * Kafka's UnifiedLog is: it owns the lock every writer takes, the log start offset, high
 * watermark, leader epochs and producer state, and validates appends, which {@link LogAppender}
 * writes; {@link LocalLog} holds the segments, the log end offset and the recovery point.
 * {@link LogLoader} opens and recovers the folder, {@link LogTruncation} cuts the log back for
 * replication, {@link SegmentSwap} swaps in the cleaner's segments, {@link LogRetention} picks the
 * segments retention deletes and {@link SegmentDeletion} retires removed segments.
 *
 * <p>Invariants: the segments meet {@link LogSegments}' invariants (at least one, sorted by base
 * offset, each holding offsets below the next one's base offset); {@code logStartOffset <=
 * highWatermark <= logEndOffset}; every batch below the recovery point has been fsynced.
 *
 * <p>Concurrency: one writer at a time (appends, rolls, retention, close take {@link #lock}),
 * any number of readers without a lock. The writer publishes through volatile fields, in this
 * order: segment bytes and index entries, then the segment's size, then the log end offset.
 * A new segment list is a new {@link LogSegments} stored in a volatile field of the
 * {@link LocalLog}; a list is never changed. A reader reads {@code logEndOffset} first, then {@code segments},
 * then a segment's size; each volatile read sees everything written before the matching
 * volatile write, so every batch below the end offset it read is complete in the file and
 * indexed, and the segment list it holds covers it. A segment that retention removes stays
 * readable through its open channel until {@code file.delete.delay.ms} later, and so does a
 * segment the cleaner replaced ({@link #replaceSegments}): the cleaner rewrites inactive segments
 * without the lock and swaps the result in under it; offsets never change.
 *
 * <p>Truncation ({@link #truncateTo}) is the one change that takes offsets away. It publishes the
 * lowered {@code logEndOffset} before the new list, so a reader that reads the new end reads only
 * offsets below it, whose bytes are the same in the old and the new list. A reader that read the
 * old end before the truncation may still hold the old list: it reads the removed segments through
 * their still-open channels (the data as it was), or finds the shortened segment's file ending
 * early and gets an empty or failed read; never bytes of other offsets, because a shortened file
 * never takes appends again (see {@link LogTruncation}). If it took the new list with the old end,
 * it reads only what the new list holds. Data below the high watermark is cut only when a leader
 * lost data in an unclean election, so consumers reading below it are not affected otherwise.
 */
public final class PartitionLog implements AutoCloseable {

    private final TopicPartition topicPartition;
    private final Time time;
    private final CodecRegistry codecs;
    private final ReentrantLock lock = new ReentrantLock();
    private final LocalLog local;
    private final ProducerStateManager producerState;
    private final LeaderEpochCache epochCache;
    private final LogAppender appender;
    /** Called after each truncation, without the lock (the manager checkpoints the recovery points). */
    private volatile Consumer<PartitionLog> truncationListener = log -> { };

    private volatile long logStartOffset;
    private volatile long highWatermark;
    /** How many truncations took place: the cleaner swaps in nothing built before one. */
    private volatile long truncations;
    private long unflushedMessages;

    private PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, Time time, Scheduler scheduler,
                         CodecRegistry codecs, LogLoader.LoadedLog loaded) {
        this.topicPartition = topicPartition;
        this.codecs = codecs;
        this.time = time;
        this.local = new LocalLog(topicPartition, dir, config, time, scheduler, loaded.segments(),
                loaded.logEndOffset());
        this.producerState = loaded.producerState();
        this.epochCache = loaded.epochCache();
        this.appender = new LogAppender(topicPartition, local, producerState, epochCache);
        this.logStartOffset = loaded.logStartOffset();
        this.highWatermark = logStartOffset;
    }

    /** The folder name of a partition log: {@code <topic>-<partition>}. */
    public static String dirName(TopicPartition tp) {
        return LocalLog.dirName(tp);
    }

    /** The partition a log folder belongs to, from its name; null if the name is not one. */
    public static TopicPartition parseDirName(String name) {
        return LocalLog.parseDirName(name);
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
        return local.dir();
    }

    public LogConfig config() {
        return local.config();
    }

    /** Applies a changed topic config; the active segment keeps its preallocated indexes. */
    public void updateConfig(LogConfig newConfig) {
        local.updateConfig(newConfig);
    }

    /** The offset the next appended record gets. */
    public long logEndOffset() {
        return local.logEndOffset();
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Offsets below this are fsynced. */
    public long recoveryPoint() {
        return local.recoveryPoint();
    }

    /** Moves the high watermark, clamped to {@code [logStartOffset, logEndOffset]}. */
    public void updateHighWatermark(long offset) {
        lock.lock();
        try {
            highWatermark = Math.max(logStartOffset, Math.min(offset, local.logEndOffset()));
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
            highWatermark = Math.max(highWatermark, Math.max(logStartOffset, Math.min(offset, local.logEndOffset())));
        } finally {
            lock.unlock();
        }
    }

    /** The latest leader epoch recorded in this log (by an append or {@link #assignEpochStartOffset}), or -1. */
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
     * LeaderEpochCache#endOffsetFor}). A leader that recorded its epoch with {@link
     * #assignEpochStartOffset} is answered from the cache alone; for one that did not, the leader's
     * own epoch, and any epoch between the latest recorded one and it, end at the log end even
     * before the leader appended, as they would in Kafka's cache.
     *
     * @param leaderEpoch the epoch in which this replica leads the partition, or -1 if it does not
     *     lead (a follower knows only the epochs it fetched)
     */
    public EpochEndOffset endOffsetForEpoch(int requestedEpoch, int leaderEpoch) {
        lock.lock();
        try {
            int latest = epochCache.latestEpoch();
            long end = local.logEndOffset();
            if (requestedEpoch > latest && requestedEpoch <= leaderEpoch) {
                boolean ownEpochOrNoneBefore = requestedEpoch == leaderEpoch || latest < 0;
                return new EpochEndOffset(ownEpochOrNoneBefore ? requestedEpoch : latest, end);
            }
            return epochCache.endOffsetFor(requestedEpoch, end);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that leader epoch {@code epoch} starts at {@code startOffset}, as a replica that
     * becomes leader does with its log end offset (Kafka's assignEpochStartOffset); checkpointed
     * at once. Ignored unless {@code epoch} is above the latest recorded epoch.
     *
     * @throws IllegalArgumentException if {@code startOffset} is above the log end offset
     */
    public void assignEpochStartOffset(int epoch, long startOffset) {
        lock.lock();
        try {
            if (startOffset > local.logEndOffset()) {
                throw new IllegalArgumentException("Epoch " + epoch + " cannot start at " + startOffset
                        + ", above the log end offset " + local.logEndOffset() + " of " + topicPartition);
            }
            if (epoch > epochCache.latestEpoch() && epochCache.assign(epoch, startOffset)) {
                epochCache.write();
            }
        } catch (IOException e) {
            throw LogSegment.storageError("Writing the leader epochs of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    public int numberOfSegments() {
        return local.segments().count();
    }

    /** The base offsets of the segments, oldest first. */
    public long[] segmentBaseOffsets() {
        return local.segments().baseOffsets();
    }

    /** Bytes in all segments. */
    public long size() {
        return local.segments().sizeInBytes();
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
        LogConfig cfg = local.config();
        long now = time.milliseconds();
        List<RecordBatchView> batches = LogValidator.validate(records, cfg, now, topicPartition, codecs);
        lock.lock();
        try {
            local.checkOpen();
            LogAppendInfo info = appender.appendAsLeader(records, batches, leaderEpoch, cfg, now, logStartOffset);
            if (!info.duplicate()) {
                afterWrite(cfg, info);
            }
            return info;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends batches a follower fetched from its leader as they are: base offsets, leader epochs,
     * timestamps and bytes are kept, and the buffer is only read (it may be read-only). Checked as
     * Kafka's follower checks them ({@link LogValidator#validateReplicated}); the first base
     * offset must be at least the log end offset, where gaps are allowed (a compacted leader).
     * A batch of an epoch above the latest recorded one starts that epoch. The producer state
     * takes the batches without sequence checks (Kafka's replication origin), so this replica
     * answers a retried batch as a duplicate once it leads.
     *
     * @return the offsets appended; for an empty buffer nothing happens and the offsets are -1
     * @throws LogException {@link Errors#CORRUPT_MESSAGE} for a damaged batch,
     *     {@link Errors#UNKNOWN_SERVER_ERROR} for offsets below the log end or out of order (Kafka's
     *     UnexpectedAppendOffsetException and OffsetsOutOfOrderException); nothing was written then
     */
    public LogAppendInfo appendAsFollower(ByteBuffer records) {
        if (!records.hasRemaining()) {
            return new LogAppendInfo(-1L, -1L, -1L, -1L, logStartOffset, 0, false);
        }
        LogConfig cfg = local.config();
        List<RecordBatchView> batches = LogValidator.validateReplicated(records, cfg);
        lock.lock();
        try {
            local.checkOpen();
            LogAppendInfo info = appender.appendAsFollower(records, batches, cfg, time.milliseconds(), logStartOffset);
            afterWrite(cfg, info);
            return info;
        } finally {
            lock.unlock();
        }
    }

    /** The flush policy ({@code flush.messages}) after a write. Caller holds the lock. */
    private void afterWrite(LogConfig cfg, LogAppendInfo info) {
        unflushedMessages += info.lastOffset() + 1 - info.firstOffset();
        if (unflushedMessages >= cfg.flushMessages()) {
            flush();
        }
    }

    /** Rolls now if the active segment has data (for tests and for {@code segment.ms} checks). */
    public void roll() {
        lock.lock();
        try {
            if (local.segments().active().size() > 0) {
                appender.roll(local.logEndOffset());
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
        long end = local.logEndOffset();
        LogSegments segs = local.segments();
        long start = logStartOffset;
        if (startOffset < start || startOffset > end) {
            throw new LogException(Errors.OFFSET_OUT_OF_RANGE, "Offset " + startOffset + " is outside ["
                    + start + ", " + end + "] of " + topicPartition);
        }
        long bound = Math.min(maxOffset, end);
        if (startOffset >= bound) {
            return FileSlice.empty(startOffset);
        }
        return local.read(segs, startOffset, maxBytes, bound, minOneBatch);
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
            return new TimestampOffset(-1L, local.logEndOffset());
        }
        if (timestamp < 0 && timestamp != MAX_TIMESTAMP) {
            throw new LogException(Errors.INVALID_REQUEST, "Unknown special timestamp " + timestamp);
        }
        try {
            return local.segments().offsetForTimestamp(timestamp, start, timestamp == MAX_TIMESTAMP);
        } catch (IOException e) {
            throw LogSegment.storageError("Timestamp lookup in " + topicPartition + " failed", e);
        }
    }

    // ---- durability

    /** fsyncs every segment holding data at or above the recovery point, then moves it to the end. */
    public void flush() {
        local.flush(Long.MAX_VALUE);
        lock.lock();
        try {
            unflushedMessages = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Flushes if {@code flush.ms} has passed since the last flush (the manager's flush job). */
    public void flushIfDue() {
        if (local.flushDue()) {
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
     * Deletes the oldest whole segments that retention allows ({@link LogRetention}), never the
     * active segment. Files are renamed to {@code .deleted} now and removed
     * {@code file.delete.delay.ms} later, so readers holding a slice can finish.
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments() {
        lock.lock();
        try {
            if (local.isClosed()) {
                return 0;
            }
            long start = logStartOffset;
            int count = LogRetention.deletableSegments(local.segments(), local.config(), start, time.milliseconds());
            if (count == 0) {
                return 0;
            }
            long newStart = Math.max(start, local.segments().all().get(count).baseOffset());
            logStartOffset = newStart;
            highWatermark = Math.max(highWatermark, newStart);
            LogSegments remaining = local.removeOldest(count, newStart);
            producerState.deleteSnapshotsBefore(remaining.first().baseOffset());
            if (epochCache.truncateFromStart(newStart)) {
                epochCache.write();
            }
            return count;
        } catch (IOException e) {
            throw LogSegment.storageError("Retention of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    // ---- truncation

    /**
     * Removes every batch whose last offset is at least {@code offset}, as a follower does when its
     * log diverged from its leader's (Kafka's truncateTo); a batch straddling {@code offset} goes
     * whole. Nothing happens if {@code offset} is at or above the log end offset; below the first
     * segment this is {@link #truncateFullyAndStartAt}. The log end offset becomes the offset after
     * the last kept batch ({@link LogTruncation#truncateTo}), below {@code offset} when a batch
     * straddled it: the follower fetches that batch again. The high watermark, recovery point and
     * log start offset come down to it if above; leader epochs starting at or after it are dropped;
     * the producer state is rebuilt from the newest snapshot at or below it.
     */
    public void truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot truncate " + topicPartition + " to a negative offset " + offset);
        }
        lock.lock();
        try {
            local.checkOpen();
            if (offset >= local.logEndOffset()) {
                return;
            }
            if (offset < local.segments().first().baseOffset()) {
                truncateFully(offset);
            } else {
                truncations++;
                long end = local.truncateTo(offset);
                highWatermark = Math.min(highWatermark, end);
                logStartOffset = Math.min(logStartOffset, end);
                if (epochCache.truncateFromEnd(end)) {
                    epochCache.write();
                }
                producerState.rebuild(local.segments(), logStartOffset, end);
            }
        } catch (IOException e) {
            throw LogSegment.storageError("Truncation of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
        truncationListener.accept(this);
    }

    /**
     * Deletes every batch and starts an empty log at {@code offset}: log start, end, high watermark
     * and recovery point all become {@code offset}; the leader epochs and the producer state are
     * cleared. A follower does this when its fetch offset is below the leader's log start offset.
     */
    public void truncateFullyAndStartAt(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot start " + topicPartition + " at a negative offset " + offset);
        }
        lock.lock();
        try {
            local.checkOpen();
            truncateFully(offset);
        } catch (IOException e) {
            throw LogSegment.storageError("Truncation of " + topicPartition + " failed", e);
        } finally {
            lock.unlock();
        }
        truncationListener.accept(this);
    }

    /** Caller holds the lock. */
    private void truncateFully(long offset) throws IOException {
        truncations++;
        local.truncateFullyAndStartAt(offset);
        logStartOffset = offset;
        highWatermark = offset;
        epochCache.clear();
        epochCache.write();
        producerState.truncateFullyAndStartAt(offset);
        producerState.deleteAllSnapshots();
        unflushedMessages = 0;
    }

    /** Sets what runs after each truncation, outside the log's lock (the manager's checkpoints). */
    void onTruncation(Consumer<PartitionLog> listener) {
        this.truncationListener = listener;
    }

    // ---- compaction

    CodecRegistry codecs() {
        return codecs;
    }

    /** The current segment list, for the cleaner, which reads inactive segments without the lock. */
    LogSegments segmentList() {
        return local.segments();
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

    /** How many truncations took place; the cleaner reads it before it builds a cleaning. */
    long truncations() {
        return truncations;
    }

    /**
     * Swaps the cleaner's {@code cleaned} segment (complete, fsynced, files ending {@code .cleaned})
     * in for the consecutive inactive segments {@code replaced} (see {@link SegmentSwap}).
     *
     * @param truncationsBefore {@link #truncations()} when the cleaning started
     * @return false, leaving everything as it was, if the log closed, was truncated, or retention
     *     removed one of {@code replaced} meanwhile
     */
    boolean replaceSegments(LogSegment cleaned, List<LogSegment> replaced, long truncationsBefore,
                            SegmentSwap.Listener listener) throws IOException {
        lock.lock();
        try {
            LogSegments current = local.segments();
            if (local.isClosed() || truncations != truncationsBefore || !current.containsAll(replaced)
                    || replaced.contains(current.active())) {
                return false;
            }
            local.replaceSegments(cleaned, replaced, listener);
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
            if (local.isClosed()) {
                return;
            }
            local.flush(Long.MAX_VALUE);
            producerState.takeSnapshot(true);
            local.close();
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
            local.delete();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + local.logEndOffset()
                + ", segments=" + local.segments().count() + ")";
    }
}
