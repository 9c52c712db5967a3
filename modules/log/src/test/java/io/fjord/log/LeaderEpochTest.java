package io.fjord.log;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.fjord.log.LogTestSupport.TP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaderEpochTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);
    private final LogConfig config = LogTestSupport.smallSegments(2048, 256);

    private static TreeMap<Integer, Long> epochs(Object... pairs) {
        TreeMap<Integer, Long> map = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((Integer) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return map;
    }

    private Path partition() {
        return dir.resolve(PartitionLog.dirName(TP));
    }

    @Test
    void newEpochsAreRecordedInKafkasCheckpointFormatAndStampedIntoTheBatches() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            int[] epochPerBatch = {0, 0, 2, 2, 2, 5, 3, 5};
            for (int b = 0; b < epochPerBatch.length; b++) {
                log.append(Batches.plain(2, 10, "e" + b, Batches.BASE_TIME), epochPerBatch[b]);
            }
            assertEquals(epochs(0, 0, 2, 4, 5, 10), log.leaderEpochs());
            assertEquals(5, log.latestEpoch());
        }
        assertEquals("0\n3\n0 0\n2 4\n5 10\n", Files.readString(partition().resolve("leader-epoch-checkpoint")));
        List<Batches.StoredBatch> stored = LogTestSupport.allBatches(partition());
        org.apache.kafka.common.record.internal.FileRecords records =
                org.apache.kafka.common.record.internal.FileRecords.open(
                        partition().resolve(LogSegment.fileName(0, ".log")).toFile(), false);
        try (records) {
            int[] expected = {0, 0, 2, 2, 2, 5, 3, 5};
            int b = 0;
            for (var batch : records.batches()) {
                assertEquals(expected[b++], batch.partitionLeaderEpoch());
            }
        }
        assertEquals(8, stored.size());
    }

    @Test
    void aNewPartitionWritesNoCheckpointUntilItsFirstLeaderButAMalformedOneIsReplaced() throws IOException {
        Path checkpoint = partition().resolve("leader-epoch-checkpoint");
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            assertFalse(Files.exists(checkpoint), "no epochs yet: nothing to record");
        }
        try (PartitionLog log = PartitionLog.open(partition(), TP, config, 0L, 0L, false, time, scheduler)) {
            assertFalse(Files.exists(checkpoint));
            log.assignEpochStartOffset(3, 0);
            assertEquals("0\n1\n3 0\n", Files.readString(checkpoint));
        }
        Files.writeString(checkpoint, "not a checkpoint\n");
        try (PartitionLog log = PartitionLog.open(partition(), TP, config, 0L, 0L, false, time, scheduler)) {
            assertTrue(log.leaderEpochs().isEmpty());
        }
        assertEquals("0\n0\n", Files.readString(checkpoint), "the malformed file is rewritten, empty");
    }

    @Test
    void aMissingFileIsRebuiltFromTheBatchesAndACrashCutsEpochsPastTheEnd() throws IOException {
        PartitionLog crashed = LogTestSupport.open(dir, config, time, scheduler);
        for (int b = 0; b < 30; b++) {
            crashed.append(Batches.plain(3, 40, "c" + b, Batches.BASE_TIME), b / 10);
        }
        assertEquals(epochs(0, 0, 1, 30, 2, 60), crashed.leaderEpochs());
        Files.delete(partition().resolve("leader-epoch-checkpoint"));
        try (PartitionLog log = PartitionLog.open(partition(), TP, config, 0L, 0L, false, time, scheduler)) {
            assertEquals(epochs(0, 0, 1, 30, 2, 60), log.leaderEpochs());
        }
        // Now the file says epoch 7 started at 1000, beyond the end: a log cut by a crash.
        Files.writeString(partition().resolve("leader-epoch-checkpoint"), "0\n4\n0 0\n1 30\n2 60\n7 1000\n");
        try (PartitionLog log = PartitionLog.open(partition(), TP, config, 0L, 0L, false, time, scheduler)) {
            assertEquals(epochs(0, 0, 1, 30, 2, 60), log.leaderEpochs());
        }
        assertEquals("0\n3\n0 0\n1 30\n2 60\n", Files.readString(partition().resolve("leader-epoch-checkpoint")));
    }

    @Test
    void retentionMovesTheFirstEpochUpToTheNewLogStart() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            for (int b = 0; b < 40; b++) {
                log.append(Batches.plain(3, 40, "r" + b, Batches.BASE_TIME), b < 5 ? 0 : b < 30 ? 1 : 4);
            }
            log.updateHighWatermark(log.logEndOffset());
            log.deleteRecordsBefore(50);
            Map<Integer, Long> after = log.leaderEpochs();
            assertEquals(epochs(1, 50, 4, 90), after);
        }
    }

    @Test
    void theEndOfEachEpochIsAnsweredAsKafkasCacheAnswersIt() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            int[] epochPerBatch = {0, 0, 2, 2, 2, 5, 5, 5};
            for (int b = 0; b < epochPerBatch.length; b++) {
                log.append(Batches.plain(2, 10, "e" + b, Batches.BASE_TIME), epochPerBatch[b]);
            }
            assertEquals(epochs(0, 0, 2, 4, 5, 10), log.leaderEpochs());
            assertEquals(16, log.logEndOffset());
            assertEquals(new EpochEndOffset(0, 4), log.endOffsetForEpoch(0, 5));
            assertEquals(new EpochEndOffset(0, 4), log.endOffsetForEpoch(1, 5), "an unknown epoch: the one before it");
            assertEquals(new EpochEndOffset(2, 10), log.endOffsetForEpoch(2, 5));
            assertEquals(new EpochEndOffset(2, 10), log.endOffsetForEpoch(4, 5));
            assertEquals(new EpochEndOffset(5, 16), log.endOffsetForEpoch(5, 5), "the current epoch ends at the log end");
            assertNull(log.endOffsetForEpoch(6, 5), "an epoch above the leader's is unknown");
            assertNull(log.endOffsetForEpoch(-1, 5), "the undefined epoch");
            assertEquals(new EpochEndOffset(5, 16), log.endOffsetForEpoch(6, 7),
                    "an epoch of a leader that has not appended yet: the latest recorded one, to the log end");
            assertEquals(new EpochEndOffset(7, 16), log.endOffsetForEpoch(7, 7), "the leader's own epoch, before its first append");
            assertNull(log.endOffsetForEpoch(6, -1), "a follower knows only the epochs it has");

            log.updateHighWatermark(16);
            log.deleteRecordsBefore(6);
            assertEquals(epochs(2, 6, 5, 10), log.leaderEpochs());
            assertEquals(new EpochEndOffset(1, 6), log.endOffsetForEpoch(1, 5),
                    "an epoch below every known one: itself, ending where the log now starts");
        }
        try (PartitionLog reopened = LogTestSupport.open(dir, config, time, scheduler)) {
            assertEquals(new EpochEndOffset(2, 10), reopened.endOffsetForEpoch(3, 5), "the checkpoint answers after a restart");
            assertEquals(new EpochEndOffset(5, 16), reopened.endOffsetForEpoch(5, 5));
        }
    }

    @Test
    void anEmptyLogAnswersOnlyForItsLeadersEpochAndBelow() throws IOException {
        try (PartitionLog log = LogTestSupport.open(dir, config, time, scheduler)) {
            assertEquals(new EpochEndOffset(3, 0), log.endOffsetForEpoch(3, 3));
            assertEquals(new EpochEndOffset(1, 0), log.endOffsetForEpoch(1, 3));
            assertNull(log.endOffsetForEpoch(4, 3));
            assertNull(log.endOffsetForEpoch(0, -1));
        }
    }
}
