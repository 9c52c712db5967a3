package io.fjord.log;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.errors.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.fjord.log.LogTestSupport.TP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducerStateTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);
    private final LogConfig config = LogTestSupport.smallSegments(1 << 20, 4096);
    private static final long PID = 4242L;

    private PartitionLog open() throws IOException {
        return LogTestSupport.open(dir, config, time, scheduler);
    }

    private static ByteBuffer batch(short epoch, int seq, int count) {
        return Batches.idempotent(PID, epoch, seq, count, Batches.BASE_TIME);
    }

    private static void assertRejected(PartitionLog log, Errors expected, ByteBuffer batch) {
        long end = log.logEndOffset();
        LogException e = assertThrows(LogException.class, () -> log.append(batch, 0));
        assertEquals(expected, e.error(), e.getMessage());
        assertEquals(end, log.logEndOffset(), "nothing appended");
    }

    @Test
    void retriesOfAnyOfTheLastFiveBatchesGetTheirOriginalOffsets() throws IOException {
        try (PartitionLog log = open()) {
            log.append(Batches.plain(3, 5, "other", Batches.BASE_TIME), 0);
            long[] firstOffsets = new long[6];
            for (int b = 0; b < 6; b++) {
                firstOffsets[b] = log.append(batch((short) 0, b * 4, 4), 0).firstOffset();
            }
            long end = log.logEndOffset();
            long size = log.size();
            for (int b = 1; b < 6; b++) {
                LogAppendInfo retry = log.append(batch((short) 0, b * 4, 4), 0);
                assertTrue(retry.duplicate());
                assertEquals(firstOffsets[b], retry.firstOffset());
                assertEquals(firstOffsets[b] + 3, retry.lastOffset());
            }
            assertEquals(end, log.logEndOffset());
            assertEquals(size, log.size(), "no bytes written for retries");
            // The oldest of six is no longer remembered: it is a sequence error, not a duplicate.
            assertRejected(log, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, batch((short) 0, 0, 4));
        }
    }

    @Test
    void gapsAndOutOfOrderSequencesAreRejected() throws IOException {
        try (PartitionLog log = open()) {
            log.append(batch((short) 0, 0, 5), 0);
            assertRejected(log, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, batch((short) 0, 6, 2)); // gap
            assertRejected(log, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, batch((short) 0, 3, 3)); // overlap
            assertEquals(5, log.append(batch((short) 0, 5, 1), 0).firstOffset());
        }
    }

    @Test
    void staleEpochsAreFencedAndANewEpochStartsAtZero() throws IOException {
        try (PartitionLog log = open()) {
            log.append(batch((short) 3, 0, 2), 0);
            assertRejected(log, Errors.INVALID_PRODUCER_EPOCH, batch((short) 2, 2, 1));
            assertRejected(log, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, batch((short) 4, 7, 1));
            log.append(batch((short) 4, 0, 1), 0);
            assertRejected(log, Errors.INVALID_PRODUCER_EPOCH, batch((short) 3, 2, 1));
            assertEquals(4, log.producerState(PID).producerEpoch());
        }
    }

    @Test
    void aNewProducerMayStartAtAnySequenceAndSequencesWrap() throws IOException {
        try (PartitionLog log = open()) {
            log.append(batch((short) 0, Integer.MAX_VALUE - 1, 2), 0);
            assertEquals(Integer.MAX_VALUE, log.producerState(PID).lastSeq());
            log.append(batch((short) 0, 0, 1), 0);
            assertEquals(0, log.producerState(PID).lastSeq());
        }
    }

    @Test
    void stateSurvivesACleanRestartThroughAKafkaFormatSnapshot() throws IOException {
        try (PartitionLog log = open()) {
            for (int b = 0; b < 3; b++) {
                log.append(batch((short) 1, b * 2, 2), 0);
            }
        }
        Path snapshot = dir.resolve(PartitionLog.dirName(TP)).resolve(LogSegment.fileName(6, ".snapshot"));
        assertTrue(Files.exists(snapshot));
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(snapshot));
        assertEquals(1, bytes.getShort(0), "version");
        assertEquals(1, bytes.getInt(6), "one producer");
        assertEquals(10 + 46, bytes.capacity());
        assertEquals(PID, bytes.getLong(10));
        assertEquals(1, bytes.getShort(18), "epoch");
        assertEquals(5, bytes.getInt(20), "last sequence");
        assertEquals(5L, bytes.getLong(24), "last offset");
        assertEquals(1, bytes.getInt(32), "offset delta");
        try (PartitionLog log = open()) {
            LogAppendInfo retry = log.append(batch((short) 1, 4, 2), 0);
            assertTrue(retry.duplicate());
            assertEquals(4, retry.firstOffset());
            assertRejected(log, Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, batch((short) 1, 9, 1));
            assertRejected(log, Errors.INVALID_PRODUCER_EPOCH, batch((short) 0, 6, 1));
            assertEquals(6, log.append(batch((short) 1, 6, 1), 0).firstOffset());
        }
    }

    @Test
    void stateIsRebuiltFromTheLogAfterACrashAndFromACorruptSnapshot() throws IOException {
        PartitionLog crashed = LogTestSupport.open(dir, LogTestSupport.smallSegments(2048, 256), time, scheduler);
        for (int b = 0; b < 40; b++) {
            crashed.append(batch((short) 2, b * 3, 3), 0);
        }
        assertTrue(crashed.numberOfSegments() > 2, "snapshots were taken at rolls");
        Path partition = dir.resolve(PartitionLog.dirName(TP));
        // Damage the newest roll snapshot too: the state must come from an older one plus the log.
        List<Path> snapshots;
        try (var stream = Files.list(partition)) {
            snapshots = stream.filter(p -> p.toString().endsWith(".snapshot")).sorted().toList();
        }
        Path newest = snapshots.get(snapshots.size() - 1);
        byte[] damaged = Files.readAllBytes(newest);
        damaged[damaged.length - 3] ^= 0x55;
        Files.write(newest, damaged);
        try (PartitionLog log = PartitionLog.open(partition, TP, LogTestSupport.smallSegments(2048, 256), 0L, 0L,
                false, time, scheduler)) {
            assertFalse(Files.exists(newest), "the corrupt snapshot is deleted");
            LogAppendInfo retry = log.append(batch((short) 2, 39 * 3, 3), 0);
            assertTrue(retry.duplicate());
            assertEquals(39 * 3, retry.firstOffset());
            assertEquals(120, log.append(batch((short) 2, 120, 1), 0).firstOffset());
        }
    }

    /**
     * Appends batches of three records from the one producer (whose sequences are therefore the
     * log's offsets) until the log has {@code segments} segments; returns the last roll's offset.
     */
    private static long appendUntilSegments(PartitionLog log, int segments) {
        while (log.numberOfSegments() < segments) {
            log.append(batch((short) 0, (int) log.logEndOffset(), 3), 0);
        }
        return log.logEndOffset() - 3;
    }

    @Test
    void aRollWritesItsSnapshotAndLeavesItsFsyncToTheFinishedSegmentsFlush() throws Exception {
        try (PartitionLog log = LogTestSupport.open(dir, LogTestSupport.smallSegments(2048, 256), time, scheduler)) {
            long secondRoll = appendUntilSegments(log, 3);
            Path partition = dir.resolve(PartitionLog.dirName(TP));
            Path kept = partition.resolve(LogSegment.fileName(secondRoll, ".snapshot"));
            assertTrue(Files.exists(kept), "the roll wrote the snapshot at the new segment's base");
            assertEquals(0, log.recoveryPoint(), "the roll flushed nothing");
            assertEquals(List.of("flush-rolled-segment", "flush-rolled-segment"),
                    scheduler.pending().stream().filter(n -> n.startsWith("flush")).toList());
            // A truncation may delete a snapshot before its flush runs: the segments are flushed all the same.
            try (var stream = Files.list(partition)) {
                for (Path p : stream.filter(p -> p.toString().endsWith(".snapshot") && !p.equals(kept)).toList()) {
                    Files.delete(p);
                }
            }
            assertEquals(2, scheduler.run("flush-rolled-segment"));
            assertEquals(secondRoll, log.recoveryPoint());
            assertTrue(Files.exists(kept));
            assertEquals(1, ProducerStateManager.readSnapshot(kept).size(), "one producer, readable");
        }
    }

    @Test
    void theRollsSnapshotIsFsyncedByTheFlushJobNotOnTheAppendPath() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, LogTestSupport.smallSegments(2048, 256), time, scheduler)) {
            long firstRoll = appendUntilSegments(log, 2);
            // Equal batches fill equal segments: the next roll comes at twice the first's offset. Its
            // snapshot is written through a temporary file that here leads to /dev/null, which
            // takes writes but fails an fsync.
            Path partition = dir.resolve(PartitionLog.dirName(TP));
            Path next = partition.resolve(LogSegment.fileName(2 * firstRoll, ".snapshot"));
            Files.createSymbolicLink(next.resolveSibling(next.getFileName() + ".tmp"), Path.of("/dev/null"));
            assertEquals(2 * firstRoll, appendUntilSegments(log, 3), "the second roll came where expected");
            assertTrue(Files.isSymbolicLink(next), "the roll renamed its snapshot into place without an fsync");
            LogException e = assertThrows(LogException.class, () -> scheduler.run("flush-rolled-segment"));
            assertEquals(Errors.KAFKA_STORAGE_ERROR, e.error(), e.getMessage());
            assertEquals(firstRoll, log.recoveryPoint(), "the second segment is not counted durable");
        }
    }

    @Test
    void idleProducersExpireAndMayThenStartAfresh() throws IOException {
        try (PartitionLog log = open()) {
            log.append(batch((short) 0, 0, 3), 0);
            assertEquals(0, log.removeExpiredProducers(86_400_000L));
            // The batch's newest record is BASE_TIME + 2.
            time.sleep(86_400_001L);
            assertEquals(0, log.removeExpiredProducers(86_400_000L));
            time.sleep(1);
            assertEquals(1, log.removeExpiredProducers(86_400_000L));
            assertEquals(null, log.producerState(PID));
            assertEquals(3, log.append(batch((short) 0, 40, 1), 0).firstOffset(), "an unknown producer may start anywhere");
        }
    }

    @Test
    void flushMessagesFsyncsAndMovesTheRecoveryPointOnEveryNthMessage() throws IOException {
        LogConfig everyFour = LogTestSupport.with(config, "flush.messages", 4L);
        try (PartitionLog log = LogTestSupport.open(dir, everyFour, time, scheduler)) {
            log.append(batch((short) 0, 0, 3), 0);
            assertEquals(0, log.recoveryPoint());
            log.append(batch((short) 0, 3, 2), 0);
            assertEquals(5, log.recoveryPoint());
        }
    }

    @Test
    void snapshotReaderRejectsHostileFiles() throws IOException {
        Path file = dir.resolve(LogSegment.fileName(0, ".snapshot"));
        for (byte[] bad : new byte[][] {new byte[0], new byte[9], {0, 1, 0, 0, 0, 0, 0x7f, 0, 0, 0}}) {
            Files.write(file, bad);
            assertThrows(ProducerStateManager.CorruptSnapshotException.class,
                    () -> ProducerStateManager.readSnapshot(file));
        }
    }
}
