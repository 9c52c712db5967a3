package io.fjord.log;

import io.fjord.common.errors.Errors;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.fjord.log.LogTestSupport.TP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Truncation as a follower does it: batches of 3 records, batch {@code b} at offsets
 * {@code 3b..3b+2} with create times {@code BASE_TIME + 10 b + i}, over segments of 2 KiB.
 * Every case is checked again after a clean and after an unclean restart.
 */
class TruncationTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);
    private final LogConfig config = LogTestSupport.smallSegments(2048, 256);

    private Path partition() {
        return dir.resolve(PartitionLog.dirName(TP));
    }

    private PartitionLog open() throws IOException {
        return LogTestSupport.open(dir, config, time, scheduler);
    }

    private static void append(PartitionLog log, int batch, int epoch) {
        LogAppendInfo info = log.append(Batches.plain(3, 40, "b" + batch, Batches.BASE_TIME + 10L * batch), epoch);
        assertEquals(3L * batch, info.firstOffset());
    }

    /** A log of {@code batches} batches in leader epoch 0. */
    private PartitionLog filled(int batches) throws IOException {
        PartitionLog log = open();
        for (int b = 0; b < batches; b++) {
            append(log, b, 0);
        }
        assertTrue(log.numberOfSegments() >= 5, "segments: " + log.numberOfSegments());
        return log;
    }

    /** What a restart must give back. */
    private record State(long logEndOffset, long[] bases, Map<Integer, Long> epochs, List<String> batches,
                         List<TimestampOffset> lookups) {
        void assertSame(State other) {
            assertEquals(logEndOffset, other.logEndOffset);
            assertArrayEquals(bases, other.bases);
            assertEquals(epochs, other.epochs);
            assertEquals(batches, other.batches);
            assertEquals(lookups, other.lookups);
        }
    }

    private State state(PartitionLog log) throws IOException {
        List<String> batches = new ArrayList<>();
        for (Batches.StoredBatch b : LogTestSupport.allBatches(log.dir())) {
            batches.add(b.baseOffset() + "-" + b.lastOffset() + "@" + b.maxTimestamp() + b.values());
        }
        List<TimestampOffset> lookups = new ArrayList<>();
        for (long ts = Batches.BASE_TIME - 5; ts < Batches.BASE_TIME + 700; ts += 4) {
            lookups.add(log.offsetForTimestamp(ts));
        }
        lookups.add(log.offsetForTimestamp(PartitionLog.MAX_TIMESTAMP));
        return new State(log.logEndOffset(), log.segmentBaseOffsets(), new TreeMap<>(log.leaderEpochs()), batches,
                lookups);
    }

    /**
     * Abandons {@code log} as a crash would, reopens it uncleanly from {@code staleRecoveryPoint},
     * then cleanly: both give the state the log had.
     */
    private void assertRestartsGiveTheSameState(PartitionLog log, long staleRecoveryPoint) throws IOException {
        State before = state(log);
        try (PartitionLog unclean = PartitionLog.open(partition(), TP, config, staleRecoveryPoint, 0L, false, time,
                scheduler)) {
            before.assertSame(state(unclean));
        }
        try (PartitionLog clean = open()) {
            before.assertSame(state(clean));
        }
    }

    /** Reads and timestamp lookups find exactly batches {@code 0..kept-1}. */
    private static void assertHoldsBatches(PartitionLog log, int kept) throws IOException {
        assertEquals(3L * kept, log.logEndOffset());
        List<Batches.StoredBatch> stored = LogTestSupport.allBatches(log.dir());
        assertEquals(kept, stored.size());
        for (int b = 0; b < kept; b++) {
            assertEquals(3L * b, stored.get(b).baseOffset());
            assertTrue(stored.get(b).values().get(0).startsWith("b" + b + ":0:"));
        }
        for (long o = 0; o < log.logEndOffset(); o++) {
            List<RecordBatch> read = Batches.readWithKafka(log.read(o, 1, Long.MAX_VALUE, true).readAll());
            assertEquals(o - o % 3, read.get(0).baseOffset(), "batch holding " + o);
        }
        assertTrue(log.read(log.logEndOffset(), 10_000, Long.MAX_VALUE, true).isEmpty());
        for (int b = 0; b < kept + 5; b++) {
            TimestampOffset found = log.offsetForTimestamp(Batches.BASE_TIME + 10L * b + 1);
            if (b < kept) {
                assertEquals(new TimestampOffset(Batches.BASE_TIME + 10L * b + 1, 3L * b + 1), found, "batch " + b);
            } else {
                assertNull(found, "batch " + b + " is gone");
            }
        }
        if (kept > 0) {
            assertEquals(new TimestampOffset(Batches.BASE_TIME + 10L * (kept - 1) + 2, 3L * kept - 1),
                    log.offsetForTimestamp(PartitionLog.MAX_TIMESTAMP));
        }
    }

    /** The base offset of a batch in the middle of segment {@code index}. */
    private static long batchInTheMiddleOf(PartitionLog log, int index) throws IOException {
        Path file = log.dir().resolve(LogSegment.fileName(log.segmentBaseOffsets()[index], ".log"));
        List<Batches.StoredBatch> inSegment = Batches.readWithKafka(file);
        assertTrue(inSegment.size() >= 3);
        return inSegment.get(inSegment.size() / 2).baseOffset();
    }

    @Test
    void inTheMiddleOfASegment() throws IOException {
        PartitionLog log = filled(60);
        long[] bases = log.segmentBaseOffsets();
        long cut = batchInTheMiddleOf(log, 2);
        log.updateHighWatermark(log.logEndOffset());
        long staleRecoveryPoint = log.recoveryPoint();
        log.truncateTo(cut);
        assertEquals(cut, log.highWatermark(), "the high watermark comes down to the new end");
        assertTrue(log.recoveryPoint() <= cut);
        long[] expected = Arrays.copyOf(bases, 4);
        expected[3] = cut;
        assertArrayEquals(expected, log.segmentBaseOffsets(), "the cut segment stays, a new one starts at the cut");
        assertHoldsBatches(log, (int) (cut / 3));
        assertRestartsGiveTheSameState(log, staleRecoveryPoint);

        try (PartitionLog reopened = open()) {
            int next = (int) (cut / 3);
            for (int b = next; b < next + 20; b++) {
                append(reopened, b, 0);
            }
            assertHoldsBatches(reopened, next + 20);
        }
    }

    @Test
    void atASegmentBoundary() throws IOException {
        PartitionLog log = filled(60);
        long[] bases = log.segmentBaseOffsets();
        long staleRecoveryPoint = log.recoveryPoint();
        log.truncateTo(bases[3]);
        assertArrayEquals(Arrays.copyOf(bases, 4), log.segmentBaseOffsets());
        assertHoldsBatches(log, (int) (bases[3] / 3));
        for (int b = (int) (bases[3] / 3); b < 30; b++) {
            append(log, b, 0);
        }
        assertHoldsBatches(log, 30);
        assertRestartsGiveTheSameState(log, staleRecoveryPoint);
    }

    @Test
    void aStraddlingBatchGoesWholeAndTheEndIsTheOffsetAfterTheLastKeptBatch() throws IOException {
        PartitionLog log = filled(60);
        long batch = batchInTheMiddleOf(log, 1);
        log.truncateTo(batch + 2);
        assertEquals(batch, log.logEndOffset());
        assertHoldsBatches(log, (int) (batch / 3));
        assertRestartsGiveTheSameState(log, 0L);
    }

    @Test
    void atOrBeyondTheEndNothingHappens() throws IOException {
        try (PartitionLog log = filled(60)) {
            Map<String, byte[]> before = LogTestSupport.snapshotFiles(log.dir());
            log.truncateTo(log.logEndOffset());
            log.truncateTo(log.logEndOffset() + 100);
            assertEquals(180, log.logEndOffset());
            Map<String, byte[]> after = LogTestSupport.snapshotFiles(log.dir());
            assertEquals(before.keySet(), after.keySet());
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name), after.get(name), name);
            }
        }
    }

    @Test
    void aHighWatermarkBelowTheCutStaysAndAnAboveOneComesDown() throws IOException {
        try (PartitionLog log = filled(60)) {
            log.updateHighWatermark(90);
            log.truncateTo(120);
            assertEquals(90, log.highWatermark());
            log.truncateTo(60);
            assertEquals(60, log.highWatermark());
            assertEquals(60, log.logEndOffset());
        }
    }

    @Test
    void leaderEpochsAfterTruncationAsInKip101() throws IOException {
        PartitionLog log = open();
        for (int b = 0; b < 60; b++) {
            append(log, b, b / 20);
        }
        assertEquals(Map.of(0, 0L, 1, 60L, 2, 120L), log.leaderEpochs());
        log.truncateTo(150);
        assertEquals(Map.of(0, 0L, 1, 60L, 2, 120L), log.leaderEpochs(), "part of epoch 2 stays");
        log.truncateTo(120);
        assertEquals(Map.of(0, 0L, 1, 60L), log.leaderEpochs(), "epoch 2 is gone whole");
        assertEquals(new EpochEndOffset(1, 120), log.endOffsetForEpoch(1, -1));
        log.truncateTo(90);
        assertEquals(Map.of(0, 0L, 1, 60L), log.leaderEpochs(), "part of epoch 1 stays");
        assertEquals("0\n2\n0 0\n1 60\n", Files.readString(partition().resolve("leader-epoch-checkpoint")));
        // The new leader's batches of epoch 3 continue at the new end.
        append(log, 30, 3);
        assertEquals(Map.of(0, 0L, 1, 60L, 3, 90L), log.leaderEpochs());
        assertEquals(new EpochEndOffset(1, 90), log.endOffsetForEpoch(2, -1));
        log.truncateTo(60);
        assertEquals(Map.of(0, 0L), log.leaderEpochs(), "epoch 1 started at the cut: it goes");
        assertRestartsGiveTheSameState(log, 180L);
    }

    @Test
    void aNewLeaderRecordsItsEpochAtOnceAndKeepsItOverARestart() throws IOException {
        PartitionLog log = open();
        for (int b = 0; b < 10; b++) {
            append(log, b, 1);
        }
        log.assignEpochStartOffset(3, 30);
        log.assignEpochStartOffset(2, 30);
        assertEquals(Map.of(1, 0L, 3, 30L), log.leaderEpochs(), "a lower epoch is ignored");
        assertEquals(new EpochEndOffset(3, 30), log.endOffsetForEpoch(3, 3));
        assertEquals(new EpochEndOffset(1, 30), log.endOffsetForEpoch(2, 3));
        assertEquals(new EpochEndOffset(1, 30), log.endOffsetForEpoch(2, -1));
        log.assignEpochStartOffset(4, 30);
        assertEquals(Map.of(1, 0L, 4, 30L), log.leaderEpochs(), "an epoch that appended nothing is replaced");
        assertThrows(IllegalArgumentException.class, () -> log.assignEpochStartOffset(5, 31));
        assertRestartsGiveTheSameState(log, 0L);
        try (PartitionLog reopened = open()) {
            append(reopened, 10, 4);
            assertEquals(Map.of(1, 0L, 4, 30L), reopened.leaderEpochs());
            assertEquals(new EpochEndOffset(4, 33), reopened.endOffsetForEpoch(4, 4));
            reopened.truncateTo(30);
            assertEquals(Map.of(1, 0L), reopened.leaderEpochs());
        }
    }

    @Test
    void theProducerStateIsRebuiltForTheTruncatedLog() throws IOException {
        PartitionLog log = open();
        for (int b = 0; b < 40; b++) {
            log.append(Batches.idempotent(5L, (short) 0, 3 * b, 3, Batches.BASE_TIME + b), 0);
        }
        assertTrue(log.numberOfSegments() >= 3);
        long[] bases = log.segmentBaseOffsets();
        log.truncateTo(bases[1] + 6);
        long end = log.logEndOffset();
        assertEquals(bases[1] + 6, end);
        assertEquals((int) end - 1, log.producerState(5L).lastSeq());
        try (Stream<Path> files = Files.list(partition())) {
            for (Path snapshot : files.filter(p -> p.toString().endsWith(".snapshot")).toList()) {
                long offset = Long.parseLong(snapshot.getFileName().toString().substring(0, 20));
                assertTrue(offset <= end, "snapshot " + snapshot.getFileName() + " above the end " + end);
            }
        }
        // A retry of the last kept batch is a duplicate; the first removed one is new again.
        LogAppendInfo retry = log.append(Batches.idempotent(5L, (short) 0, (int) end - 3, 3, Batches.BASE_TIME), 0);
        assertTrue(retry.duplicate());
        assertEquals(end - 3, retry.firstOffset());
        LogAppendInfo again = log.append(Batches.idempotent(5L, (short) 0, (int) end, 3, Batches.BASE_TIME), 0);
        assertFalse(again.duplicate());
        assertEquals(end, again.firstOffset());
        log.truncateTo(end);
        assertEquals((int) end - 1, log.producerState(5L).lastSeq());
        assertRestartsGiveTheSameState(log, 0L);
        try (PartitionLog reopened = open()) {
            assertEquals((int) end - 1, reopened.producerState(5L).lastSeq());
        }
    }

    @Test
    void truncateFullyStartsAnEmptyLogAtTheOffset() throws IOException {
        PartitionLog log = open();
        for (int b = 0; b < 40; b++) {
            log.append(Batches.idempotent(5L, (short) 0, 3 * b, 3, Batches.BASE_TIME + b), b / 10);
        }
        log.updateHighWatermark(100);
        log.truncateFullyAndStartAt(500);
        assertEquals(500, log.logStartOffset());
        assertEquals(500, log.logEndOffset());
        assertEquals(500, log.highWatermark());
        assertEquals(500, log.recoveryPoint());
        assertArrayEquals(new long[] {500}, log.segmentBaseOffsets());
        assertTrue(log.leaderEpochs().isEmpty());
        assertNull(log.producerState(5L));
        assertEquals("0\n0\n", Files.readString(partition().resolve("leader-epoch-checkpoint")));
        try (Stream<Path> files = Files.list(partition())) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".snapshot") || n.endsWith(".log") && !n.startsWith("00000000000000000500"))
                    .toList());
        }
        LogException gone = assertThrows(LogException.class, () -> log.read(100, 1000, Long.MAX_VALUE, true));
        assertEquals(Errors.OFFSET_OUT_OF_RANGE, gone.error());
        LogAppendInfo info = log.append(Batches.idempotent(5L, (short) 0, 0, 2, Batches.BASE_TIME), 7);
        assertEquals(500, info.firstOffset());
        assertEquals(Map.of(7, 500L), log.leaderEpochs());
        assertRestartsGiveTheSameState(log, 0L);
        try (PartitionLog reopened = open()) {
            assertEquals(500, reopened.logStartOffset());
            // Below the first segment, truncateTo empties the log too, as in Kafka.
            reopened.truncateTo(200);
            assertEquals(200, reopened.logStartOffset());
            assertEquals(200, reopened.logEndOffset());
            assertArrayEquals(new long[] {200}, reopened.segmentBaseOffsets());
        }
    }

    @Test
    void aClosedLogRefusesToTruncate() throws IOException {
        PartitionLog log = filled(60);
        log.close();
        LogException e = assertThrows(LogException.class, () -> log.truncateTo(10));
        assertEquals(Errors.KAFKA_STORAGE_ERROR, e.error());
        assertThrows(IllegalArgumentException.class, () -> log.truncateTo(-1));
    }
}
