package io.fjord.log;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.api.TopicPartition;
import io.fjord.protocol.record.CodecRegistry;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogManagerTest {

    @TempDir
    Path root;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);
    private final LogConfig config = LogTestSupport.smallSegments(4096, 256);

    private LogManager manager(LogConfig logConfig) {
        return new LogManager(List.of(root.resolve("d1"), root.resolve("d2")), tp -> logConfig,
                new LogManagerConfig(1000, 500, 2000, 2000, 2000, 2, 86_400_000L, 600_000L), time, scheduler);
    }

    private static TopicPartition tp(int p) {
        return new TopicPartition("orders", p);
    }

    @Test
    void partitionsAreSpreadOverLogDirsAndReloadedAfterACleanShutdown() throws IOException {
        LogManager first = manager(config);
        first.startup();
        for (int p = 0; p < 6; p++) {
            PartitionLog log = first.getOrCreateLog(tp(p));
            LogTestSupport.appendBatches(log, 10 + p, 3, 30, Batches.BASE_TIME);
            log.updateHighWatermark(log.logEndOffset() - 3);
        }
        assertEquals(3, first.allLogs().stream().filter(l -> l.dir().getParent().equals(root.resolve("d1"))).count());
        first.shutdown();
        assertTrue(Files.exists(root.resolve("d1").resolve(LogManager.CLEAN_SHUTDOWN_FILE)));
        Map<TopicPartition, Long> recovery =
                new OffsetCheckpointFile(root.resolve("d2").resolve(OffsetCheckpointFile.RECOVERY_POINT)).read();
        assertEquals(3, recovery.size());

        LogManager second = manager(config);
        second.startup();
        assertFalse(Files.exists(root.resolve("d1").resolve(LogManager.CLEAN_SHUTDOWN_FILE)),
                "the marker is consumed at start-up");
        for (int p = 0; p < 6; p++) {
            PartitionLog log = second.getLog(tp(p));
            assertNotNull(log);
            assertEquals(3L * (10 + p), log.logEndOffset());
            assertEquals(3L * (10 + p) - 3, log.highWatermark());
            assertEquals(10 + p, LogTestSupport.allBatches(log.dir()).size());
        }
        second.shutdown();
    }

    @Test
    void withoutTheMarkerLogsRecoverFromTheirCheckpointedRecoveryPoint() throws IOException {
        LogManager first = manager(config);
        first.startup();
        PartitionLog log = first.getOrCreateLog(tp(0));
        LogTestSupport.appendBatches(log, 30, 3, 30, Batches.BASE_TIME);
        long end = log.logEndOffset();
        first.checkpointAll();
        // Crash: no shutdown; a torn batch lands at the tail of the active segment.
        long[] bases = log.segmentBaseOffsets();
        Path active = log.dir().resolve(LogSegment.fileName(bases[bases.length - 1], ".log"));
        ByteBuffer torn = Batches.plain(3, 30, "torn", Batches.BASE_TIME);
        torn.putLong(0, end).limit(torn.limit() - 9);
        try (FileChannel ch = FileChannel.open(active, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(torn);
        }
        // And a checkpoint write was interrupted before its rename.
        Path dir = log.dir().getParent();
        Files.writeString(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT + ".tmp"), "0\n1\norders 0 9999");

        LogManager second = manager(config);
        second.startup();
        PartitionLog recovered = second.getLog(tp(0));
        assertEquals(end, recovered.logEndOffset());
        assertEquals(30, LogTestSupport.allBatches(recovered.dir()).size());
        assertEquals(end, recovered.append(Batches.plain(1, 5, "next", Batches.BASE_TIME), 0).firstOffset());
        assertFalse(Files.exists(dir.resolve(OffsetCheckpointFile.RECOVERY_POINT + ".tmp")),
                "the next checkpoint replaced the stray temp file");
        second.shutdown();
    }

    @Test
    void backgroundJobsApplyRetentionAndCheckpointOnTheClock() throws IOException {
        LogConfig retained = LogTestSupport.with(config, "retention.ms", 10_000L);
        LogManager manager = manager(retained);
        manager.startup();
        PartitionLog log = manager.getOrCreateLog(tp(1));
        LogTestSupport.appendBatches(log, 100, 3, 30, time.milliseconds());
        int segments = log.numberOfSegments();
        assertTrue(segments > 2);
        time.sleep(999);
        scheduler.runDue();
        assertEquals(segments, log.numberOfSegments());
        time.sleep(20_000);
        scheduler.runDue();
        assertEquals(1, log.numberOfSegments(), "retention job deleted all but the active segment");
        Map<TopicPartition, Long> starts = new OffsetCheckpointFile(
                log.dir().getParent().resolve(OffsetCheckpointFile.LOG_START_OFFSET)).read();
        assertEquals(log.logStartOffset(), starts.get(tp(1)));
        assertNotEquals(0L, log.logStartOffset());
        manager.shutdown();
    }

    @Test
    void flushMsIsHonouredByTheFlushJob() throws IOException {
        LogConfig flushing = LogTestSupport.with(config, "flush.ms", 300L);
        LogManager manager = manager(flushing);
        manager.startup();
        PartitionLog log = manager.getOrCreateLog(tp(2));
        log.append(Batches.plain(2, 10, "f", Batches.BASE_TIME), 0);
        assertEquals(0, log.recoveryPoint());
        time.sleep(500);
        scheduler.runDue();
        assertEquals(2, log.recoveryPoint());
        manager.shutdown();
    }

    @Test
    void deletedPartitionsDisappearAndAreNotReloaded() throws IOException {
        LogManager first = manager(config);
        first.startup();
        PartitionLog log = first.getOrCreateLog(tp(3));
        LogTestSupport.appendBatches(log, 5, 3, 30, Batches.BASE_TIME);
        assertTrue(first.deleteLog(tp(3)));
        assertNull(first.getLog(tp(3)));
        first.shutdown();
        LogManager second = manager(config);
        second.startup();
        assertNull(second.getLog(tp(3)));
        time.sleep(config.fileDeleteDelayMs());
        scheduler.runDue();
        try (var stream = Files.list(root.resolve("d1"))) {
            assertTrue(stream.noneMatch(p -> p.getFileName().toString().startsWith("orders-3")));
        }
        try (var stream = Files.list(root.resolve("d2"))) {
            assertTrue(stream.noneMatch(p -> p.getFileName().toString().startsWith("orders-3")));
        }
        second.shutdown();
    }

    @Test
    void aNewPartitionGoesToTheLogDirWithFewestAfterDeletionsAndAReload() throws IOException {
        LogManager first = manager(config);
        first.startup();
        for (int p = 0; p < 4; p++) {
            first.getOrCreateLog(tp(p));
        }
        assertEquals(root.resolve("d1"), first.getLog(tp(0)).dir().getParent());
        assertEquals(root.resolve("d1"), first.getLog(tp(2)).dir().getParent());
        assertTrue(first.deleteLog(tp(0)));
        assertTrue(first.deleteLog(tp(2)));
        assertEquals(root.resolve("d1"), first.getOrCreateLog(tp(4)).dir().getParent(), "d1 has none left");
        assertEquals(root.resolve("d1"), first.getOrCreateLog(tp(5)).dir().getParent(), "d1 has one, d2 two");
        assertTrue(first.deleteLog(tp(1)));
        first.shutdown();

        LogManager second = manager(config);
        second.startup();
        assertEquals(root.resolve("d2"), second.getOrCreateLog(tp(6)).dir().getParent(),
                "the reloaded logs count: d1 holds two, d2 one");
        second.shutdown();
    }

    @Test
    void aTruncationIsCheckpointedAtOnceAndTheCleanersDirtyOffsetComesDown() throws Exception {
        LogManager manager = new LogManager(List.of(root.resolve("d1")), tp -> Compacted.config(4096, 60_000),
                new LogManagerConfig(1000, 500, 2000, 2000, 2000, 2, 86_400_000L, 600_000L),
                Compacted.cleanerConfig(), CodecRegistry.NONE, time, scheduler);
        manager.startup();
        try {
            PartitionLog log = manager.getOrCreateLog(tp(0));
            for (int round = 0; round < 6; round++) {
                for (int k = 0; k < 100; k += 10) {
                    String[] kvs = new String[20];
                    for (int i = 0; i < 10; i++) {
                        kvs[2 * i] = "key-" + (k + i);
                        kvs[2 * i + 1] = "value-" + round;
                    }
                    log.append(Compacted.batch(Batches.BASE_TIME, kvs), 0);
                }
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            assertNotNull(manager.cleaner().cleanOnce());
            assertEquals(600, manager.cleaner().firstDirtyOffset(tp(0)));
            log.flush();
            manager.checkpointAll();
            Path recoveryPoints = root.resolve("d1").resolve(OffsetCheckpointFile.RECOVERY_POINT);
            assertEquals(600L, new OffsetCheckpointFile(recoveryPoints).read().get(tp(0)));

            log.truncateTo(550);
            assertEquals(550, log.logEndOffset());
            assertEquals(550L, new OffsetCheckpointFile(recoveryPoints).read().get(tp(0)),
                    "the recovery point is checkpointed with the truncation, not at the next interval");
            assertEquals(550, manager.cleaner().firstDirtyOffset(tp(0)));
            assertEquals(550L, new OffsetCheckpointFile(root.resolve("d1").resolve(LogCleaner.CHECKPOINT_FILE)).read()
                    .get(tp(0)));
        } finally {
            manager.shutdown();
        }
    }
}
