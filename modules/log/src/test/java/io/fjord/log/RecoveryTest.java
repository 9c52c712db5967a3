package io.fjord.log;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.api.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.fjord.log.LogTestSupport.TP;
import static io.fjord.log.LogTestSupport.allBatches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crashes simulated by abandoning a log without closing it (its indexes stay preallocated and
 * untrimmed, no snapshot at the end) and damaging its files, then opening it as after an
 * unclean stop.
 */
class RecoveryTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);
    private final LogConfig config = LogTestSupport.smallSegments(4096, 256);

    /** Appends 60 batches of 3 records over several segments and abandons the log. */
    private PartitionLog crashedLog() {
        try {
            PartitionLog log = LogTestSupport.open(dir, config, time, scheduler);
            LogTestSupport.appendBatches(log, 60, 3, 40, Batches.BASE_TIME);
            scheduler.runDue(); // the flushes of rolled segments
            assertTrue(log.numberOfSegments() >= 4);
            return log;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private PartitionLog reopenUnclean(long recoveryPoint) throws IOException {
        return PartitionLog.open(dir.resolve(PartitionLog.dirName(TP)), TP, config, recoveryPoint, 0L, false,
                time, scheduler);
    }

    private static Path activeSegment(PartitionLog log) {
        long[] bases = log.segmentBaseOffsets();
        return log.dir().resolve(LogSegment.fileName(bases[bases.length - 1], ".log"));
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(bytes));
        }
    }

    /** Every batch is there exactly once, offsets contiguous from 0, and appends continue after it. */
    private static void assertIntactAndAppendable(PartitionLog log, int expectedBatches) throws IOException {
        List<Batches.StoredBatch> batches = allBatches(log.dir());
        assertEquals(expectedBatches, batches.size());
        for (int b = 0; b < batches.size(); b++) {
            assertEquals(3L * b, batches.get(b).baseOffset());
            assertTrue(batches.get(b).values().get(0).startsWith("b" + b + ":0:"));
        }
        assertEquals(3L * expectedBatches, log.logEndOffset());
        LogAppendInfo info = log.append(Batches.plain(2, 10, "after", Batches.BASE_TIME), 0);
        assertEquals(3L * expectedBatches, info.firstOffset());
        List<Batches.StoredBatch> after = allBatches(log.dir());
        assertEquals(expectedBatches + 1, after.size());
        assertEquals(3L * expectedBatches, after.get(after.size() - 1).baseOffset());
        for (long o = 0; o < log.logEndOffset(); o++) {
            FileSlice slice = log.read(o, 1, Long.MAX_VALUE, true);
            assertEquals(o - o % 3, slice.firstOffset(), "batch holding offset " + o);
        }
    }

    @Test
    void tornWriteAtTheTailIsCutOff() throws IOException {
        PartitionLog crashed = crashedLog();
        long recoveryPoint = crashed.recoveryPoint();
        assertTrue(recoveryPoint > 0 && recoveryPoint < crashed.logEndOffset());
        ByteBuffer next = Batches.plain(3, 40, "torn", Batches.BASE_TIME);
        next.putLong(0, crashed.logEndOffset());
        byte[] half = new byte[next.remaining() / 2];
        next.get(half);
        appendBytes(activeSegment(crashed), half);
        try (PartitionLog log = reopenUnclean(recoveryPoint)) {
            assertIntactAndAppendable(log, 60);
        }
    }

    @Test
    void garbageAfterTheLastBatchIsCutOff() throws IOException {
        PartitionLog crashed = crashedLog();
        byte[] garbage = new byte[3000];
        new Random(3).nextBytes(garbage);
        appendBytes(activeSegment(crashed), garbage);
        try (PartitionLog log = reopenUnclean(crashed.recoveryPoint())) {
            assertIntactAndAppendable(log, 60);
        }
    }

    @Test
    void zeroedTailLikeAPreallocatedFileIsCutOff() throws IOException {
        PartitionLog crashed = crashedLog();
        appendBytes(activeSegment(crashed), new byte[500]);
        try (PartitionLog log = reopenUnclean(crashed.recoveryPoint())) {
            assertIntactAndAppendable(log, 60);
        }
    }

    @Test
    void flippedByteInAnOldSegmentCutsTheLogThereOnceTheRecoveryPointIsBehindIt() throws IOException {
        PartitionLog crashed = crashedLog();
        long[] bases = crashed.segmentBaseOffsets();
        Path second = crashed.dir().resolve(LogSegment.fileName(bases[1], ".log"));
        List<Batches.StoredBatch> inSecond = Batches.readWithKafka(second);
        Batches.StoredBatch victim = inSecond.get(inSecond.size() / 2);
        try (FileChannel ch = FileChannel.open(second, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            long at = victim.position() + victim.size() - 5L;
            ch.read(one, at);
            one.put(0, (byte) (one.get(0) ^ 0x10));
            one.rewind();
            ch.write(one, at);
        }
        int survivors = (int) (victim.baseOffset() / 3);
        try (PartitionLog log = reopenUnclean(0L)) {
            assertEquals(victim.baseOffset(), log.logEndOffset());
            assertIntactAndAppendable(log, survivors);
            for (long base : log.segmentBaseOffsets()) {
                assertTrue(base <= victim.baseOffset(), "no segment after the damage survives");
            }
        }
    }

    @Test
    void missingIndexFileIsRebuiltOnACleanStart() throws IOException {
        long[] bases;
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            LogTestSupport.appendBatches(log, 60, 3, 40, Batches.BASE_TIME);
            bases = log.segmentBaseOffsets();
        }
        Path partition = dir.resolve(PartitionLog.dirName(TP));
        Path index = partition.resolve(LogSegment.fileName(bases[1], ".index"));
        long originalSize = Files.size(index);
        Files.delete(index);
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            assertIntactAndAppendable(log, 60);
        }
        assertEquals(originalSize, Files.size(index), "the rebuilt index has the same entries");
    }

    @Test
    void truncatedIndexFileIsRebuiltOnACleanStart() throws IOException {
        long[] bases;
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            LogTestSupport.appendBatches(log, 60, 3, 40, Batches.BASE_TIME);
            bases = log.segmentBaseOffsets();
        }
        Path partition = dir.resolve(PartitionLog.dirName(TP));
        Path index = partition.resolve(LogSegment.fileName(bases[0], ".index"));
        Path timeIndex = partition.resolve(LogSegment.fileName(bases[2], ".timeindex"));
        try (FileChannel ch = FileChannel.open(index, StandardOpenOption.WRITE)) {
            ch.truncate(13);
        }
        try (FileChannel ch = FileChannel.open(timeIndex, StandardOpenOption.WRITE)) {
            ch.truncate(7);
        }
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            assertIntactAndAppendable(log, 60);
            TimestampOffset found = log.offsetForTimestamp(Batches.BASE_TIME + 30);
            // Batch b holds timestamps BASE+b .. BASE+b+2: the last record of batch 28 is the first at BASE+30.
            assertEquals(86L, found.offset());
            assertEquals(Batches.BASE_TIME + 30, found.timestamp());
        }
        assertEquals(0, Files.size(index) % 8);
        assertTrue(Files.size(index) > 13);
    }

    @Test
    void aCrashBeforeACheckpointRenameLeavesTheOldCheckpoint() throws IOException {
        Path file = dir.resolve(OffsetCheckpointFile.RECOVERY_POINT);
        OffsetCheckpointFile checkpoint = new OffsetCheckpointFile(file);
        TopicPartition other = new TopicPartition("other", 0);
        checkpoint.write(Map.of(TP, 120L, other, 7L));
        // The crash: the temp file of the next write is there, half written, and never renamed.
        Files.writeString(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT + ".tmp"), "0\n2\nevents 3 9");
        assertEquals(Map.of(TP, 120L, other, 7L), checkpoint.read());
        checkpoint.write(Map.of(TP, 300L));
        assertEquals(Map.of(TP, 300L), checkpoint.read());
        assertFalse(Files.exists(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT + ".tmp")));
        assertEquals("0\n1\nevents 3 300\n", Files.readString(file));
    }

    @Test
    void malformedCheckpointFilesAreRejected() throws IOException {
        Path file = dir.resolve("cp");
        OffsetCheckpointFile checkpoint = new OffsetCheckpointFile(file);
        for (String bad : new String[] {"", "1\n0\n", "0\n2\nevents 3 9\n", "0\n1\nevents x 9\n", "0\n1\nevents 3\n",
                "0\n-1\n", "0\n1\nevents -3 9\n"}) {
            Files.writeString(file, bad);
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class, checkpoint::read, bad);
        }
    }
}
