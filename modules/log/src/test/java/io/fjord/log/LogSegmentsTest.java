package io.fjord.log;

import io.fjord.protocol.record.RecordBatchView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Lookups over a list of real segments at base offsets 0, 100, 250 and 1000. */
class LogSegmentsTest {

    @TempDir
    Path dir;

    private final LogConfig config = LogTestSupport.smallSegments(1 << 20, 4096);
    private final List<LogSegment> created = new ArrayList<>();

    private LogSegment segment(long baseOffset) throws IOException {
        LogSegment segment = LogSegment.create(dir, baseOffset, config, Batches.BASE_TIME);
        created.add(segment);
        return segment;
    }

    private LogSegments fourSegments() throws IOException {
        return new LogSegments(List.of(segment(0), segment(100), segment(250), segment(1000)));
    }

    /** Appends one batch of {@code records} records at {@code baseOffset}; returns its size. */
    private static int appendBatch(LogSegment segment, long baseOffset, int records) throws IOException {
        ByteBuffer bytes = Batches.plain(records, 50, "o" + baseOffset, Batches.BASE_TIME);
        RecordBatchView batch = RecordBatchView.wrap(bytes.duplicate());
        batch.setBaseOffset(baseOffset);
        segment.append(bytes, List.of(batch));
        return batch.sizeInBytes();
    }

    private static long[] bases(List<LogSegment> segments) {
        return segments.stream().mapToLong(LogSegment::baseOffset).toArray();
    }

    @AfterEach
    void closeSegments() throws IOException {
        for (LogSegment segment : created) {
            segment.close();
        }
    }

    @Test
    void fromStartsAtTheSegmentHoldingTheOffset() throws IOException {
        LogSegments segments = fourSegments();
        assertArrayEquals(new long[] {0, 100, 250, 1000}, bases(segments.from(0)));
        assertArrayEquals(new long[] {0, 100, 250, 1000}, bases(segments.from(99)));
        assertArrayEquals(new long[] {100, 250, 1000}, bases(segments.from(100)));
        assertArrayEquals(new long[] {100, 250, 1000}, bases(segments.from(249)));
        assertArrayEquals(new long[] {250, 1000}, bases(segments.from(250)));
        assertArrayEquals(new long[] {1000}, bases(segments.from(1000)));
        assertArrayEquals(new long[] {1000}, bases(segments.from(Long.MAX_VALUE)));
        LogSegments afterRetention = segments.withoutOldest(1);
        assertArrayEquals(new long[] {100, 250, 1000}, bases(afterRetention.from(40)),
                "an offset below the first segment starts at the first segment");
    }

    @Test
    void betweenHoldsTheSegmentsThatMayHoldOffsetsOfTheRange() throws IOException {
        LogSegments segments = fourSegments();
        assertArrayEquals(new long[] {0}, bases(segments.between(0, 100)));
        assertArrayEquals(new long[] {0, 100}, bases(segments.between(0, 101)));
        assertArrayEquals(new long[] {100}, bases(segments.between(120, 250)));
        assertArrayEquals(new long[] {100, 250}, bases(segments.between(120, 251)));
        assertArrayEquals(new long[] {250, 1000}, bases(segments.between(300, Long.MAX_VALUE)));
        assertArrayEquals(new long[] {1000}, bases(segments.between(1000, 1001)));
    }

    @Test
    void activeFirstCountBaseOffsetsAndSize() throws IOException {
        LogSegment first = segment(0);
        LogSegment second = segment(3);
        LogSegment active = segment(5);
        int bytes = appendBatch(first, 0, 3) + appendBatch(second, 3, 2) + appendBatch(active, 5, 1)
                + appendBatch(active, 6, 4);
        LogSegments segments = new LogSegments(List.of(first, second, active));
        assertSame(active, segments.active());
        assertSame(first, segments.first());
        assertEquals(3, segments.count());
        assertArrayEquals(new long[] {0, 3, 5}, segments.baseOffsets());
        assertEquals(bytes, segments.sizeInBytes());
        assertEquals(10, segments.active().readNextOffset());
    }

    @Test
    void rollAndRetentionBuildNewListsAndLeaveTheOnesReadersHoldUnchanged() throws IOException {
        LogSegment s0 = segment(0);
        LogSegment s100 = segment(100);
        LogSegment s250 = segment(250);
        LogSegments held = new LogSegments(List.of(s0, s100));
        LogSegments rolled = held.withActive(s250);
        assertSame(s100, held.active());
        assertEquals(2, held.count());
        assertSame(s250, rolled.active());
        assertArrayEquals(new long[] {0, 100, 250}, rolled.baseOffsets());

        LogSegments retained = rolled.withoutOldest(2);
        assertSame(s250, retained.first());
        assertSame(s250, retained.active());
        assertEquals(1, retained.count());
        assertArrayEquals(new long[] {0, 100, 250}, rolled.baseOffsets());
        assertSame(s0, held.from(50).get(0), "a reader holding the old list still finds the removed segment");
    }

    @Test
    void theListIsACopyThatNobodyCanChange() throws IOException {
        List<LogSegment> source = new ArrayList<>(List.of(segment(0), segment(100)));
        LogSegments segments = new LogSegments(source);
        source.add(segment(200));
        assertEquals(2, segments.count());
        assertThrows(UnsupportedOperationException.class, () -> segments.all().remove(0));
        assertThrows(UnsupportedOperationException.class, () -> segments.from(0).clear());
    }
}
