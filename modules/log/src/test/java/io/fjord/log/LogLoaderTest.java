package io.fjord.log;

import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import io.fjord.protocol.record.RecordBatchView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

import static io.fjord.log.LogTestSupport.TP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up straight through the loader, over folders a partition log wrote and then damaged. */
class LogLoaderTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final LogConfig config = LogTestSupport.smallSegments(2048, 256);
    private LogLoader.LoadedLog loaded;

    private Path partition() {
        return dir.resolve(PartitionLog.dirName(TP));
    }

    private LogLoader.LoadedLog load(long recoveryPoint, long logStartOffset, boolean hadCleanShutdown)
            throws IOException {
        closeLoaded();
        loaded = new LogLoader(partition(), config, time).load(recoveryPoint, logStartOffset, hadCleanShutdown);
        return loaded;
    }

    @AfterEach
    void closeLoaded() throws IOException {
        if (loaded != null) {
            for (LogSegment segment : loaded.segments().all()) {
                segment.close();
            }
            loaded = null;
        }
    }

    /** Writes 40 batches of 3 records over several segments and closes the log cleanly; returns the base offsets. */
    private long[] writeCleanLog() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, config, time, new ManualScheduler(time))) {
            LogTestSupport.appendBatches(log, 40, 3, 40, Batches.BASE_TIME);
            assertTrue(log.numberOfSegments() >= 4);
            return log.segmentBaseOffsets();
        }
    }

    private Path segmentFile(long baseOffset, String suffix) {
        return partition().resolve(LogSegment.fileName(baseOffset, suffix));
    }

    private static void overwriteBatchLength(Path file, int position, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, length), position + RecordBatchView.BATCH_LENGTH_OFFSET);
        }
    }

    @Test
    void anEmptyFolderGetsOneSegmentAtTheCheckpointedLogStart() throws IOException {
        Files.createDirectories(partition());
        LogLoader.LoadedLog log = load(0L, 42L, true);
        assertArrayEquals(new long[] {42}, log.segments().baseOffsets());
        assertEquals(42, log.logStartOffset());
        assertEquals(42, log.logEndOffset());
        assertEquals(-1, log.epochCache().latestEpoch());
        assertEquals(42, log.producerState().mapEndOffset());
        assertTrue(Files.exists(segmentFile(42, LogSegment.LOG_SUFFIX)));
    }

    @Test
    void leftoversOfACrashAndOrphanIndexesAreDeletedAndOtherFilesKept() throws IOException {
        long[] bases = writeCleanLog();
        List<String> leftovers = List.of(LogSegment.fileName(7, ".log.deleted"),
                LogSegment.fileName(7, ".index.deleted"), LeaderEpochCache.FILE_NAME + ".tmp",
                LogSegment.fileName(99_999, LogSegment.INDEX_SUFFIX),
                LogSegment.fileName(99_999, LogSegment.TIME_INDEX_SUFFIX));
        List<String> others = List.of("notes.txt", "abc.log");
        for (String name : leftovers) {
            Files.write(partition().resolve(name), new byte[16]);
        }
        for (String name : others) {
            Files.write(partition().resolve(name), new byte[16]);
        }
        LogLoader.LoadedLog log = load(0L, 0L, true);
        for (String name : leftovers) {
            assertFalse(Files.exists(partition().resolve(name)), name);
        }
        for (String name : others) {
            assertTrue(Files.exists(partition().resolve(name)), name);
        }
        assertArrayEquals(bases, log.segments().baseOffsets());
        assertEquals(120, log.logEndOffset());
    }

    @Test
    void theLogStartIsRaisedToTheFirstSegmentAndCappedAtTheEnd() throws IOException {
        long[] bases = writeCleanLog();
        assertEquals(0, load(0L, 0L, true).logStartOffset());
        assertEquals(120, load(0L, 10_000L, true).logStartOffset(), "a checkpoint past the end");
        closeLoaded();
        for (String suffix : Set.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
            Files.delete(segmentFile(bases[0], suffix));
        }
        LogLoader.LoadedLog log = load(0L, 0L, true);
        assertEquals(bases[1], log.logStartOffset());
        assertEquals(bases[1], log.segments().first().baseOffset());
    }

    @Test
    void aCorruptSizeFieldCutsTheLogAtThatBatchAndLaterSegmentsGo() throws IOException {
        long[] bases = writeCleanLog();
        Path second = segmentFile(bases[1], LogSegment.LOG_SUFFIX);
        Batches.StoredBatch victim = Batches.readWithKafka(second).get(2);
        overwriteBatchLength(second, victim.position(), Integer.MAX_VALUE);

        LogLoader.LoadedLog log = load(0L, 0L, false);
        assertEquals(victim.baseOffset(), log.logEndOffset());
        assertArrayEquals(new long[] {bases[0], bases[1]}, log.segments().baseOffsets());
        assertEquals(victim.position(), Files.size(second));
        assertEquals(Set.of(bases[0], bases[1]), LogTestSupport.segmentFiles(partition()).keySet());
        assertEquals(victim.baseOffset() / 3, LogTestSupport.allBatches(partition()).size());
        assertTrue(ProducerStateManager.listSnapshots(partition()).lastKey() <= victim.baseOffset(),
                "no producer snapshot is left past the new end");
        assertEquals(victim.baseOffset(), log.producerState().mapEndOffset());
    }

    @Test
    void aSegmentLeftEmptyByRecoveryIsReplacedByAFreshOneAtThePreviousEnd() throws IOException {
        long[] bases = writeCleanLog();
        Path third = segmentFile(bases[2], LogSegment.LOG_SUFFIX);
        overwriteBatchLength(third, 0, -1);

        LogLoader.LoadedLog log = load(bases[1], 0L, false);
        assertArrayEquals(new long[] {bases[0], bases[1], bases[2]}, log.segments().baseOffsets());
        assertEquals(0, log.segments().active().size());
        assertEquals(0, Files.size(third));
        assertEquals(bases[2], log.logEndOffset());
        assertEquals(Set.of(bases[0], bases[1], bases[2]), LogTestSupport.segmentFiles(partition()).keySet());
    }
}
