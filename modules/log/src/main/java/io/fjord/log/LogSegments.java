package io.fjord.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The segments of one partition log, oldest first; the last is the active segment, the only one
 * that takes appends.
 *
 * <p>Invariants: never empty; base offsets strictly increase and each segment holds only offsets
 * below the next one's base offset, so the segment holding an offset is the last one whose base
 * offset is at most it.
 *
 * <p>Concurrency: immutable. A roll ({@link #withActive}), retention ({@link #withoutOldest}), a
 * cleaner's swap ({@link #replace}) or a truncation builds a new list, which the partition log publishes through a volatile field; a list is never
 * changed once built. A reader that took a list works on that one list for its whole call,
 * whatever the writer does meanwhile: the segments it holds stay readable until
 * {@code file.delete.delay.ms} after retention dropped them; one that truncation shortened reads
 * as ending at the cut (see {@link LogTruncation}).
 */
final class LogSegments {

    private final List<LogSegment> segments;

    /** @param segments oldest first, at least one */
    LogSegments(List<LogSegment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** The newest segment, which takes appends. */
    LogSegment active() {
        return segments.get(segments.size() - 1);
    }

    LogSegment first() {
        return segments.get(0);
    }

    int count() {
        return segments.size();
    }

    /** Every segment, oldest first. */
    List<LogSegment> all() {
        return segments;
    }

    /**
     * The segment holding {@code offset} (the floor: the last whose base offset is at most it) and
     * every later one, oldest first; every segment if {@code offset} is below the first base offset.
     */
    List<LogSegment> from(long offset) {
        return segments.subList(floorIndex(offset), segments.size());
    }

    /** The segments that may hold offsets in {@code [from, to)}, oldest first. */
    List<LogSegment> between(long from, long to) {
        int first = floorIndex(from);
        int end = first;
        while (end < segments.size() && segments.get(end).baseOffset() < to) {
            end++;
        }
        return segments.subList(first, end);
    }

    /** The index of the floor segment of {@code offset}; 0 if it is below the first base offset. */
    private int floorIndex(long offset) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).baseOffset() > offset) {
                hi = mid - 1;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    /** The base offsets, oldest first. */
    long[] baseOffsets() {
        long[] bases = new long[segments.size()];
        for (int i = 0; i < bases.length; i++) {
            bases[i] = segments.get(i).baseOffset();
        }
        return bases;
    }

    /** Bytes in all segments. */
    long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments) {
            total += s.size();
        }
        return total;
    }

    /**
     * The first record at or after {@code startingOffset} whose timestamp is at least
     * {@code timestamp}, or, with {@code maxTimestamp}, the first record
     * carrying the largest timestamp; null if none. Segments whose largest timestamp is below the
     * target are skipped (the active one is always searched: its largest timestamp is still moving).
     */
    TimestampOffset offsetForTimestamp(long timestamp, long startingOffset, boolean maxTimestamp) throws IOException {
        if (maxTimestamp) {
            LogSegment best = null;
            for (LogSegment s : segments) {
                if (s.maxTimestampSoFar() >= 0 && (best == null || s.maxTimestampSoFar() > best.maxTimestampSoFar())) {
                    best = s;
                }
            }
            return best == null ? null : best.findOffsetByTimestamp(best.maxTimestampSoFar(), startingOffset);
        }
        for (LogSegment s : segments) {
            if (s.maxTimestampSoFar() >= timestamp || s == active()) {
                TimestampOffset found = s.findOffsetByTimestamp(timestamp, startingOffset);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** This list with {@code fresh}, whose base offset is above every other, as the new active segment (a roll). */
    LogSegments withActive(LogSegment fresh) {
        List<LogSegment> next = new ArrayList<>(segments.size() + 1);
        next.addAll(segments);
        next.add(fresh);
        return new LogSegments(next);
    }

    /** This list without its {@code count} oldest segments, which must leave the active one (retention). */
    LogSegments withoutOldest(int count) {
        return new LogSegments(segments.subList(count, segments.size()));
    }

    /** Whether every one of {@code some} (by identity) is in this list. */
    boolean containsAll(List<LogSegment> some) {
        for (LogSegment s : some) {
            if (!segments.contains(s)) {
                return false;
            }
        }
        return true;
    }

    /**
     * This list with {@code replaced} (consecutive, not the active one) taken out and {@code
     * fresh}, which holds only offsets they held, put in their place (the cleaner's swap).
     */
    LogSegments replace(List<LogSegment> replaced, LogSegment fresh) {
        List<LogSegment> next = new ArrayList<>(segments.size());
        for (LogSegment s : segments) {
            if (s == replaced.get(0)) {
                next.add(fresh);
            } else if (!replaced.contains(s)) {
                next.add(s);
            }
        }
        return new LogSegments(next);
    }
}
