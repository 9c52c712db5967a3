package io.fjord.log;

import io.fjord.common.Time;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One cleaner thread's work on one log, Kafka's algorithm: build the offset map of the dirty
 * section (as much of it as the map holds), then rewrite every segment below the map's end in
 * groups that fit one segment, each group into one {@code .cleaned} segment swapped in for it by
 * {@link PartitionLog#replaceSegments}. Offsets never change; what a record keeps is decided by
 * {@link BatchCompactor}. A dirty section larger than the map is cleaned over several cleanings,
 * each ending where its map ended.
 *
 * <p>The segments read are inactive, so they are read without the log's lock; the swap takes it
 * and fails harmlessly if retention removed a segment of the group meanwhile. Owns its offset
 * map and buffers; one instance per thread.
 */
final class Cleaner {

    /** Thrown when a cleaning is aborted (its log is being deleted or the cleaner stops); nothing was swapped. */
    static final class AbortedException extends RuntimeException {
        AbortedException() {
            super("cleaning aborted", null, false, false);
        }
    }

    private final OffsetMap map;
    private final BatchCompactor compactor;
    private final int writeBufferBytes;
    private final Throttler throttler;
    private final Time time;
    private SegmentSwap.Listener swapListener = SegmentSwap.Listener.NONE;

    Cleaner(CleanerConfig config, Throttler throttler, Time time) {
        this.map = new OffsetMap(config.dedupeBufferPerThread(), config.ioBufferLoadFactor());
        this.writeBufferBytes = config.ioBufferSize() / 2;
        this.compactor = new BatchCompactor(writeBufferBytes, Integer.MAX_VALUE - 8);
        this.throttler = throttler;
        this.time = time;
    }

    /** For tests that stop a cleaning between two steps of a swap. */
    void swapListener(SegmentSwap.Listener listener) {
        this.swapListener = listener;
    }

    /** The earliest delete horizon a tombstone kept by the last cleaning carries, or Long.MAX_VALUE. */
    long earliestHorizonMs() {
        return compactor.earliestHorizonMs();
    }

    /**
     * Cleans the log once.
     *
     * @param aborted polled between batches; true ends the cleaning with {@link AbortedException}
     */
    CleanerStats clean(LogToClean toClean, BooleanSupplier aborted) throws IOException, InterruptedException {
        PartitionLog log = toClean.log();
        long startMs = time.milliseconds();
        LogConfig config = log.config();
        LogSegments segments = log.segmentList();
        // A truncation meanwhile may remove records the offset map holds: no swap after one.
        long truncations = log.truncations();
        compactor.resetCounters();
        map.clear();
        long bytesRead = buildOffsetMap(segments, log.codecs(), toClean.firstDirtyOffset(),
                toClean.firstUncleanableOffset(), aborted);
        long endOffset = map.latestOffset() + 1;
        double utilization = map.utilization();
        Map<Long, Long> producerLastOffsets = log.producerLastOffsets();
        long bytesWritten = 0;
        for (List<LogSegment> group : groupBySize(segments.between(0, endOffset), config, endOffset)) {
            long[] moved = cleanGroup(log, group, config, startMs, producerLastOffsets, truncations, aborted);
            bytesRead += moved[0];
            bytesWritten += moved[1];
        }
        if (log.truncations() != truncations) {
            // The offsets this cleaning covered may be gone: none of it counts as clean.
            throw new AbortedException();
        }
        return new CleanerStats(log.topicPartition(), toClean.firstDirtyOffset(), endOffset, toClean.dirtyRatio(),
                bytesRead, bytesWritten, compactor.recordsRead(), compactor.recordsWritten(), utilization, startMs,
                time.milliseconds());
    }

    /**
     * Puts the offset of every keyed record in {@code [from, until)} into the map, batch by
     * batch, until a batch would not fit: the map then ends before that batch. Its latest offset
     * is where the section it covers ends.
     *
     * @return the bytes read
     */
    private long buildOffsetMap(LogSegments segments, CodecRegistry codecs, long from, long until,
                                BooleanSupplier aborted)
            throws IOException, InterruptedException {
        map.updateLatestOffset(from - 1);
        long bytesRead = 0;
        for (LogSegment segment : segments.between(from, until)) {
            FileBatchCursor batches = segment.batches();
            while (batches.next()) {
                if (batches.lastOffset() < from) {
                    continue;
                }
                if (batches.lastOffset() >= until) {
                    return bytesRead;
                }
                checkAborted(aborted);
                RecordBatchView batch = batches.readBatch();
                if (batch == null) {
                    return bytesRead;
                }
                bytesRead += batch.sizeInBytes();
                throttler.maybeThrottle(batch.sizeInBytes());
                if (batch.isControlBatch()) {
                    map.updateLatestOffset(batch.lastOffset());
                    continue;
                }
                if (map.size() + (long) batch.recordCount() > map.maxEntries()) {
                    if (map.size() == 0) {
                        throw new IllegalStateException("The offset map of " + map.maxEntries()
                                + " keys cannot hold one batch of " + batch.recordCount()
                                + " records: raise log.cleaner.dedupe.buffer.size");
                    }
                    return bytesRead;
                }
                RecordCursor records = batch.records(codecs, Integer.MAX_VALUE - 8);
                ByteBuffer bytes = records.recordsBuffer();
                while (records.next()) {
                    if (records.keySize() >= 0) {
                        map.put(bytes, records.keyPosition(), records.keySize(), records.offset());
                    }
                }
                map.updateLatestOffset(batch.lastOffset());
            }
        }
        return bytesRead;
    }

    /**
     * Splits the segments to rewrite into runs that fit one segment: the sum of their sizes within
     * {@code segment.bytes}, of their index entries within {@code segment.index.bytes}, and their
     * offsets within an int of the run's base offset (the indexes store offsets relative to it).
     */
    static List<List<LogSegment>> groupBySize(List<LogSegment> segments, LogConfig config, long endOffset) {
        List<List<LogSegment>> groups = new ArrayList<>();
        int i = 0;
        while (i < segments.size()) {
            List<LogSegment> group = new ArrayList<>();
            LogSegment head = segments.get(i);
            group.add(head);
            long logBytes = head.size();
            long indexBytes = head.indexSizeInBytes();
            i++;
            while (i < segments.size()) {
                LogSegment next = segments.get(i);
                long nextEnd = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() - 1 : endOffset - 1;
                if (logBytes + next.size() > config.segmentBytes()
                        || indexBytes + next.indexSizeInBytes() > config.segmentIndexBytes()
                        || nextEnd - head.baseOffset() > Integer.MAX_VALUE) {
                    break;
                }
                group.add(next);
                logBytes += next.size();
                indexBytes += next.indexSizeInBytes();
                i++;
            }
            groups.add(group);
        }
        return groups;
    }

    /** Rewrites one group into a cleaned segment and swaps it in; returns bytes read and written. */
    private long[] cleanGroup(PartitionLog log, List<LogSegment> group, LogConfig config, long nowMs,
                              Map<Long, Long> producerLastOffsets, long truncations, BooleanSupplier aborted)
            throws IOException, InterruptedException {
        LogSegment cleaned = LogSegment.createCleaned(log.dir(), group.get(0).baseOffset(), config, nowMs);
        boolean swapped = false;
        long read = 0;
        long written = 0;
        try {
            for (LogSegment segment : group) {
                FileBatchCursor batches = segment.batches();
                while (batches.next()) {
                    checkAborted(aborted);
                    RecordBatchView batch = batches.readBatch();
                    if (batch == null) {
                        break;
                    }
                    read += batch.sizeInBytes();
                    compactor.compact(batch, map, log.codecs(), nowMs, config.deleteRetentionMs(), producerLastOffsets);
                    if (compactor.output().position() >= writeBufferBytes) {
                        written += drainInto(cleaned);
                    }
                    throttler.maybeThrottle(batch.sizeInBytes());
                }
            }
            written += drainInto(cleaned);
            cleaned.onBecomeInactive();
            cleaned.flush();
            cleaned.setLastModified(group.get(group.size() - 1).lastModified());
            swapped = log.replaceSegments(cleaned, group, truncations, swapListener);
        } finally {
            if (!swapped) {
                cleaned.closeAndDelete();
            }
        }
        return new long[] {read, written};
    }

    /** Appends the compactor's output to the cleaned segment and empties it. */
    private long drainInto(LogSegment cleaned) throws IOException, InterruptedException {
        ByteBuffer out = compactor.output();
        out.flip();
        int bytes = out.remaining();
        if (bytes > 0) {
            List<RecordBatchView> views = new ArrayList<>();
            int position = 0;
            while (position < out.limit()) {
                int size = out.getInt(position + RecordBatchView.BATCH_LENGTH_OFFSET) + RecordBatchView.LOG_OVERHEAD;
                views.add(RecordBatchView.wrap(out.slice(position, size)));
                position += size;
            }
            cleaned.append(out, views);
            throttler.maybeThrottle(bytes);
        }
        out.clear();
        return bytes;
    }

    private static void checkAborted(BooleanSupplier aborted) {
        if (aborted.getAsBoolean()) {
            throw new AbortedException();
        }
    }
}
