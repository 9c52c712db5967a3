package io.fjord.log;

import io.fjord.log.index.OffsetIndex;
import io.fjord.log.index.OffsetPosition;
import io.fjord.log.index.TimeIndex;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The file work of cutting a partition log back, as a follower does when its log diverged from
 * the leader's: {@link #truncateTo} removes every batch whose last offset reaches an offset,
 * {@link #truncateFully} removes every batch. Runs under the partition's lock; the partition log
 * then publishes the result and fits its offsets, leader epochs and producer state to it.
 *
 * <p>Invariants of the result: a valid segment list whose last segment is a new, empty active
 * segment at the new log end offset, and every kept segment fsynced with final files. No byte a
 * reader may still read is ever replaced by another byte: removed segments are retired through
 * {@link SegmentDeletion} (renamed now, closed later), and the one segment cut in the middle is
 * shortened in place but never appended to again, since appends go to the new active segment.
 * A reader still holding the old object of that segment reads the bytes below the cut unchanged
 * and finds the file ending there (a short read, an error for a slice being sent); its old index
 * mappings stay valid because the new index files are written beside them and renamed over them.
 *
 * <p>Crash safety: segments are removed newest first, so a crash between two removals leaves a
 * shorter log that is still whole; until the new active segment exists the cut segment is the
 * last one, which an unclean start always re-validates, and it is fsynced before that segment is
 * created. Leftover {@code .deleted} and {@code .tmp} files are deleted by the loader, which also
 * fits leader epochs and producer snapshots to the log end it finds.
 */
final class LogTruncation {

    /** The new segment list and log end offset. */
    record Result(LogSegments segments, long logEndOffset) {
    }

    /**
     * Where a truncation cuts a segment: before the first batch whose last offset reaches the
     * truncation offset, the whole batch (as Kafka cuts).
     *
     * @param position the byte of that batch, or the segment's size if every batch stays
     * @param nextOffset the offset after the batches before the cut, or the base offset if none stays
     */
    record Cut(int position, long nextOffset) {
    }

    private LogTruncation() {
    }

    /**
     * Removes every batch whose last offset is at least {@code offset}; a batch straddling it goes
     * whole. The new log end offset is the offset after the last kept batch of the segment holding
     * the cut, or that segment's base offset if none of its batches stays (the same offset in a
     * log without gaps): a follower fetches again from there.
     *
     * @param offset at least the first segment's base offset
     */
    static Result truncateTo(Path dir, LogSegments segments, long offset, LogConfig config, long nowMs,
                             SegmentDeletion deletion) throws IOException {
        List<LogSegment> all = segments.all();
        LogSegment cut = segments.from(offset).get(0);
        int cutIndex = all.indexOf(cut);
        Cut at = cutAt(cut, offset);
        for (int i = all.size() - 1; i > cutIndex; i--) {
            deletion.deleteLater(all.get(i));
        }
        List<LogSegment> kept = new ArrayList<>(all.subList(0, cutIndex));
        long end;
        if (at.position() == 0) {
            deletion.deleteLater(cut);
            end = cut.baseOffset();
        } else {
            kept.add(at.position() < cut.size() ? shorten(dir, cut, at, config, deletion) : cut);
            end = at.nextOffset();
        }
        OffsetCheckpointFile.fsyncDirectory(dir);
        // The cut segment was inactive or is retired: none of the kept ones takes appends again.
        kept.add(LogSegment.create(dir, end, config, nowMs));
        OffsetCheckpointFile.fsyncDirectory(dir);
        return new Result(new LogSegments(kept), end);
    }

    /** Removes every segment and starts an empty one at {@code offset}. */
    static Result truncateFully(Path dir, LogSegments segments, long offset, LogConfig config, long nowMs,
                                SegmentDeletion deletion) throws IOException {
        List<LogSegment> all = segments.all();
        for (int i = all.size() - 1; i >= 0; i--) {
            deletion.deleteLater(all.get(i));
        }
        OffsetCheckpointFile.fsyncDirectory(dir);
        LogSegment fresh = LogSegment.create(dir, offset, config, nowMs);
        OffsetCheckpointFile.fsyncDirectory(dir);
        return new Result(new LogSegments(List.of(fresh)), offset);
    }

    /** Where a truncation to {@code offset} cuts {@code segment}. */
    static Cut cutAt(LogSegment segment, long offset) throws IOException {
        // The index entry at or below offset - 1 names a batch that ends below offset: one that stays.
        int start = segment.offsetIndex().lookup(offset - 1).position();
        FileBatchCursor batches = segment.batches(start, segment.size());
        long next = segment.baseOffset();
        while (batches.next()) {
            if (batches.lastOffset() >= offset) {
                return new Cut(batches.position(), next);
            }
            next = batches.lastOffset() + 1;
        }
        return new Cut(segment.size(), next);
    }

    /**
     * Shortens {@code segment} to the batches below the cut: new index files holding the entries
     * of the kept batches (and the kept batches' largest timestamp as the final time-index entry)
     * are written as {@code .tmp} and renamed over the old ones, the {@code .log} file is cut, and
     * a new segment object is opened over the files. The old object is closed later.
     */
    private static LogSegment shorten(Path dir, LogSegment segment, Cut at, LogConfig config,
                                      SegmentDeletion deletion) throws IOException {
        long base = segment.baseOffset();
        Path offsetsFile = dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX));
        Path timesFile = dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX));
        Path offsetsTmp = offsetsFile.resolveSibling(offsetsFile.getFileName() + ".tmp");
        Path timesTmp = timesFile.resolveSibling(timesFile.getFileName() + ".tmp");
        Files.deleteIfExists(offsetsTmp);
        Files.deleteIfExists(timesTmp);
        OffsetIndex offsets = new OffsetIndex(offsetsTmp, base, config.segmentIndexBytes());
        TimeIndex times = new TimeIndex(timesTmp, base, config.segmentIndexBytes());
        try {
            copyKeptEntries(segment, at, offsets, times);
            offsets.flush();
            times.flush();
        } finally {
            offsets.close();
            times.close();
        }
        segment.truncateLogFile(at.position());
        Files.move(offsetsTmp, offsetsFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(timesTmp, timesFile, StandardCopyOption.ATOMIC_MOVE);
        LogSegment shortened = LogSegment.open(dir, base, config);
        if (!shortened.loadCleanState()) {
            shortened.recover(config.segmentIndexBytes());
        }
        shortened.onBecomeInactive();
        shortened.flush();
        deletion.closeLater(segment);
        return shortened;
    }

    private static void copyKeptEntries(LogSegment segment, Cut at, OffsetIndex offsets, TimeIndex times)
            throws IOException {
        OffsetIndex oldOffsets = segment.offsetIndex();
        for (int slot = 0; slot < oldOffsets.entries() && !offsets.isFull(); slot++) {
            OffsetPosition entry = oldOffsets.entry(slot);
            if (entry.position() >= at.position()) {
                break;
            }
            offsets.append(entry.offset(), entry.position());
        }
        TimeIndex oldTimes = segment.timeIndex();
        TimestampOffset largest = new TimestampOffset(-1L, segment.baseOffset());
        for (int slot = 0; slot < oldTimes.entries() && !times.isFull(); slot++) {
            TimestampOffset entry = oldTimes.entry(slot);
            if (entry.offset() >= at.nextOffset()) {
                break;
            }
            times.maybeAppend(entry.timestamp(), entry.offset(), false);
            largest = entry;
        }
        // Entries are sparse: the kept batches after the last kept entry may hold a larger timestamp.
        FileBatchCursor batches = segment.batches(offsets.lookup(largest.offset()).position(), at.position());
        while (batches.next()) {
            if (batches.maxTimestamp() > largest.timestamp()) {
                largest = new TimestampOffset(batches.maxTimestamp(), batches.lastOffset());
            }
        }
        if (largest.timestamp() >= 0) {
            times.maybeAppend(largest.timestamp(), largest.offset(), true);
        }
    }
}
