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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);

    private static long countFiles(Path partition, String suffix) throws IOException {
        try (var stream = Files.list(partition)) {
            return stream.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        }
    }

    @Test
    void onlyTheDeletePolicyDeletesByTimeAndSize() {
        Map<String, String> limits = Map.of("retention.ms", "1000", "retention.bytes", "4096");
        for (String policy : List.of("compact", "COMPACT", "")) {
            Map<String, String> props = new HashMap<>(limits);
            props.put("cleanup.policy", policy);
            LogConfig compacted = LogConfig.fromProperties(props);
            assertEquals(-1, compacted.retentionMs(), policy);
            assertEquals(-1, compacted.retentionBytes(), policy);
        }
        for (String policy : List.of("delete", "compact,delete", "compact, delete")) {
            Map<String, String> props = new HashMap<>(limits);
            props.put("cleanup.policy", policy);
            LogConfig deleting = LogConfig.fromProperties(props);
            assertEquals(1000, deleting.retentionMs(), policy);
            assertEquals(4096, deleting.retentionBytes(), policy);
        }
        assertEquals(1000, LogConfig.fromProperties(limits).retentionMs(), "delete is the default policy");
    }

    @Test
    void retentionByTimeDeletesOnlySegmentsWhoseNewestRecordIsOldEnough() throws IOException {
        LogConfig config = LogTestSupport.with(LogTestSupport.smallSegments(2048, 256), "retention.ms", 60_000L);
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            // Old data, then (two minutes later) new data.
            for (int b = 0; b < 30; b++) {
                log.append(Batches.plain(3, 40, "old" + b, time.milliseconds()), 0);
            }
            int oldSegments = log.numberOfSegments();
            log.roll();
            time.sleep(120_000);
            for (int b = 0; b < 30; b++) {
                log.append(Batches.plain(3, 40, "new" + b, time.milliseconds()), 0);
            }
            int total = log.numberOfSegments();
            assertEquals(oldSegments, log.deleteOldSegments());
            assertEquals(total - oldSegments, log.numberOfSegments());
            assertEquals(90, log.logStartOffset());
            assertEquals(0, log.deleteOldSegments(), "new data is not old enough");
            time.sleep(120_000);
            int deleted = log.deleteOldSegments();
            assertEquals(total - oldSegments - 1, deleted, "everything but the active segment");
            assertEquals(1, log.numberOfSegments());
        }
    }

    @Test
    void retentionBySizeKeepsTheLogUnderTheLimitInWholeSegments() throws IOException {
        LogConfig config = LogTestSupport.with(LogTestSupport.smallSegments(2048, 256), "retention.bytes", 5000L);
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            LogTestSupport.appendBatches(log, 80, 3, 40, Batches.BASE_TIME);
            long before = log.size();
            assertTrue(before > 10_000);
            int deleted = log.deleteOldSegments();
            assertTrue(deleted > 0);
            assertTrue(log.size() <= 5000 + 2048, "at most one segment over: " + log.size());
            long[] bases = log.segmentBaseOffsets();
            assertEquals(bases[0], log.logStartOffset());
            // One segment fewer would be under the limit, so no whole segment more may go.
            assertEquals(0, log.deleteOldSegments());
            assertThrows(LogException.class, () -> log.read(bases[0] - 1, 100, Long.MAX_VALUE, true));
        }
    }

    @Test
    void deleteRecordsMovesTheStartOffsetAndFreesWholeSegmentsBelowIt() throws IOException {
        LogConfig config = LogTestSupport.smallSegments(2048, 256);
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            LogTestSupport.appendBatches(log, 60, 3, 40, Batches.BASE_TIME);
            LogException beyond = assertThrows(LogException.class, () -> log.deleteRecordsBefore(100));
            assertEquals(Errors.OFFSET_OUT_OF_RANGE, beyond.error());
            log.updateHighWatermark(log.logEndOffset());
            long[] bases = log.segmentBaseOffsets();
            long target = bases[2] + 4;
            log.deleteRecordsBefore(target);
            assertEquals(target, log.logStartOffset());
            assertEquals(Errors.OFFSET_OUT_OF_RANGE,
                    assertThrows(LogException.class, () -> log.read(target - 1, 100, Long.MAX_VALUE, true)).error());
            assertEquals(2, log.deleteOldSegments());
            assertEquals(bases[2], log.segmentBaseOffsets()[0]);
            assertEquals(target, log.logStartOffset(), "the start offset stays inside the first segment");
            FileSlice slice = log.read(target, 100, Long.MAX_VALUE, true);
            assertTrue(slice.firstOffset() <= target && target < slice.nextOffset());
        }
    }

    @Test
    void deletionIsDelayedSoAReaderHoldingASliceOfADeletedSegmentCanFinish() throws IOException {
        LogConfig config = LogTestSupport.with(LogTestSupport.with(LogTestSupport.smallSegments(2048, 256),
                "retention.bytes", 0L), "file.delete.delay.ms", 60_000L);
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            LogTestSupport.appendBatches(log, 40, 3, 40, Batches.BASE_TIME);
            scheduler.runDue();
            FileSlice held = log.read(0, 1 << 20, Long.MAX_VALUE, true);
            ByteBuffer expected = held.readAll();
            int segments = log.numberOfSegments();
            assertEquals(segments - 1, log.deleteOldSegments());
            Path partition = log.dir();
            assertEquals(0, countFiles(partition, ".log") - 1, "only the active segment keeps its name");
            assertEquals(segments - 1, countFiles(partition, ".log.deleted"));
            // The reader still gets every byte it was promised.
            assertEquals(expected, held.readAll());
            List<Batches.StoredBatch> stillThere = Batches.readWithKafka(log.dir().resolve(
                    LogSegment.fileName(0, ".log.deleted")));
            assertEquals(0, stillThere.get(0).baseOffset());
            time.sleep(59_999);
            scheduler.runDue();
            assertEquals(segments - 1, countFiles(partition, ".log.deleted"));
            time.sleep(1);
            scheduler.runDue();
            assertEquals(0, countFiles(partition, ".deleted"));
            assertEquals(1, countFiles(partition, ".log"));
        }
    }

    @Test
    void deletingAPartitionLogRenamesItAtOnceAndRemovesItLater() throws IOException {
        LogConfig config = LogTestSupport.smallSegments(2048, 256);
        PartitionLog log = LogTestSupport.open(dir, config, time, scheduler);
        LogTestSupport.appendBatches(log, 20, 3, 40, Batches.BASE_TIME);
        Path original = log.dir();
        log.delete();
        assertFalse(Files.exists(original));
        assertTrue(log.dir().getFileName().toString().endsWith("-delete"));
        assertTrue(Files.exists(log.dir()));
        assertThrows(LogException.class, () -> log.append(Batches.plain(1, 1, "x", Batches.BASE_TIME), 0));
        time.sleep(config.fileDeleteDelayMs());
        scheduler.runDue();
        assertFalse(Files.exists(log.dir()));
    }

    @Test
    void theActiveSegmentIsNeverDeleted() throws IOException {
        LogConfig config = LogTestSupport.with(LogTestSupport.with(LogTestSupport.smallSegments(1 << 20, 256),
                "retention.bytes", 0L), "retention.ms", 0L);
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            LogTestSupport.appendBatches(log, 10, 3, 40, Batches.BASE_TIME);
            time.sleep(10_000_000L);
            assertEquals(0, log.deleteOldSegments());
            assertEquals(30, log.logEndOffset());
            assertEquals(0, log.logStartOffset());
        }
    }

    @Test
    void segmentRollsBySegmentMsOfTheClock() throws IOException {
        LogConfig config = LogTestSupport.with(LogTestSupport.smallSegments(1 << 20, 256), "segment.ms", 1000L);
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            log.append(Batches.plain(1, 10, "a", time.milliseconds()), 0);
            log.append(Batches.plain(1, 10, "b", time.milliseconds() + 500), 0);
            assertEquals(1, log.numberOfSegments());
            time.sleep(1500);
            log.append(Batches.plain(1, 10, "c", time.milliseconds()), 0);
            assertEquals(2, log.numberOfSegments());
            assertEquals(2, log.segmentBaseOffsets()[1]);
        }
    }
}
