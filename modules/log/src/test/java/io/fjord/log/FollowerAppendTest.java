package io.fjord.log;

import io.fjord.common.errors.Errors;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.common.testing.MockTime;
import io.fjord.protocol.record.RecordBatchView;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.fjord.log.LogTestSupport.TP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A follower's log fed with batches read from a leader's log, as replication fetches them. */
class FollowerAppendTest {

    @TempDir
    Path dir;

    private final MockTime time = new MockTime(Batches.BASE_TIME);
    private final ManualScheduler scheduler = new ManualScheduler(time);
    private final LogConfig config = LogTestSupport.smallSegments(2048, 256);

    private PartitionLog open(String replica) throws IOException {
        return PartitionLog.open(dir.resolve(replica).resolve(PartitionLog.dirName(TP)), TP, config, 0L, 0L, true,
                time, scheduler);
    }

    /** Copies every batch from {@code from} on, one leader read (of at most {@code maxBytes}) per follower append. */
    private static void replicate(PartitionLog leader, PartitionLog follower, int maxBytes) throws IOException {
        while (follower.logEndOffset() < leader.logEndOffset()) {
            FileSlice slice = leader.read(follower.logEndOffset(), maxBytes, leader.logEndOffset(), true);
            LogAppendInfo info = follower.appendAsFollower(slice.readAll().asReadOnlyBuffer());
            assertEquals(slice.firstOffset(), info.firstOffset());
            assertEquals(slice.nextOffset() - 1, info.lastOffset());
        }
    }

    /** A leader log of 40 batches: plain and idempotent ones, written in leader epochs 0, 1 and 3. */
    private static void fillLeader(PartitionLog leader) {
        int sequence = 0;
        for (int b = 0; b < 40; b++) {
            int epoch = b < 10 ? 0 : b < 25 ? 1 : 3;
            ByteBuffer batch = b % 3 == 0
                    ? Batches.idempotent(7L, (short) 0, sequence, 2, Batches.BASE_TIME + 10L * b)
                    : Batches.plain(3, 60, "b" + b, Batches.BASE_TIME + 10L * b);
            if (b % 3 == 0) {
                sequence += 2;
            }
            leader.append(batch, epoch);
        }
    }

    @Test
    void batchesKeepOffsetsEpochsAndTimestampsAndTheFilesAreByteIdentical() throws IOException {
        Map<String, byte[]> leaderFiles;
        Map<String, byte[]> followerFiles;
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower")) {
            fillLeader(leader);
            assertTrue(leader.numberOfSegments() > 3, "several segments: " + leader.numberOfSegments());
            // One batch per fetch, as the leader appended them: the follower rolls at the same offsets.
            replicate(leader, follower, 1);
            assertEquals(leader.logEndOffset(), follower.logEndOffset());
            assertArrayEquals(leader.segmentBaseOffsets(), follower.segmentBaseOffsets());
            assertEquals(leader.leaderEpochs(), follower.leaderEpochs());
            assertEquals(Map.of(0, 0L, 1, 26L, 3, 66L), follower.leaderEpochs());
            for (long ts = Batches.BASE_TIME - 1; ts <= Batches.BASE_TIME + 400; ts += 7) {
                assertEquals(leader.offsetForTimestamp(ts), follower.offsetForTimestamp(ts), "timestamp " + ts);
            }
            assertEquals(leader.offsetForTimestamp(PartitionLog.MAX_TIMESTAMP),
                    follower.offsetForTimestamp(PartitionLog.MAX_TIMESTAMP));
        }
        leaderFiles = LogTestSupport.snapshotFiles(dir.resolve("leader").resolve(PartitionLog.dirName(TP)));
        followerFiles = LogTestSupport.snapshotFiles(dir.resolve("follower").resolve(PartitionLog.dirName(TP)));
        assertEquals(leaderFiles.keySet(), followerFiles.keySet());
        for (String name : leaderFiles.keySet()) {
            assertArrayEquals(leaderFiles.get(name), followerFiles.get(name), name);
        }
        List<Integer> epochs = new ArrayList<>();
        int b = 0;
        for (Path file : LogTestSupport.segmentFiles(dir.resolve("follower").resolve(PartitionLog.dirName(TP))).values()) {
            try (FileRecords records = FileRecords.open(file.toFile(), false)) {
                for (var batch : records.batches()) {
                    epochs.add(batch.partitionLeaderEpoch());
                    // The leader's create times: record i of batch b has BASE_TIME + 10 b + i.
                    long count = b % 3 == 0 ? 2 : 3;
                    assertEquals(Batches.BASE_TIME + 10L * b + count - 1, batch.maxTimestamp(), "batch " + b);
                    b++;
                }
            }
        }
        assertEquals(40, epochs.size());
        assertEquals(List.of(0, 1, 3), epochs.stream().distinct().toList());
    }

    @Test
    void largeFetchesGiveTheSameBytesAndTheFollowerCanServeThemOnward() throws IOException {
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower");
             PartitionLog second = open("second")) {
            fillLeader(leader);
            replicate(leader, follower, 3000);
            replicate(follower, second, 5000);
            List<Batches.StoredBatch> expected = LogTestSupport.allBatches(leader.dir());
            for (PartitionLog copy : List.of(follower, second)) {
                List<Batches.StoredBatch> actual = LogTestSupport.allBatches(copy.dir());
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).baseOffset(), actual.get(i).baseOffset());
                    assertEquals(expected.get(i).lastOffset(), actual.get(i).lastOffset());
                    assertEquals(expected.get(i).maxTimestamp(), actual.get(i).maxTimestamp());
                    assertEquals(expected.get(i).values(), actual.get(i).values());
                }
                assertEquals(leader.leaderEpochs(), copy.leaderEpochs());
            }
        }
    }

    @Test
    void aCorruptBatchIsRefusedAndNothingIsWritten() throws IOException {
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower")) {
            fillLeader(leader);
            replicate(leader, follower, 1);
            leader.append(Batches.plain(3, 60, "next", Batches.BASE_TIME), 3);
            ByteBuffer fetched = leader.read(follower.logEndOffset(), 10_000, leader.logEndOffset(), true).readAll();
            int at = fetched.limit() - 3;
            fetched.put(at, (byte) (fetched.get(at) ^ 0x40));
            Map<String, byte[]> before = LogTestSupport.snapshotFiles(follower.dir());
            long end = follower.logEndOffset();
            LogException e = assertThrows(LogException.class, () -> follower.appendAsFollower(fetched));
            assertEquals(Errors.CORRUPT_MESSAGE, e.error());
            assertEquals(end, follower.logEndOffset());
            assertEquals(before.keySet(), LogTestSupport.snapshotFiles(follower.dir()).keySet());
            for (Map.Entry<String, byte[]> file : before.entrySet()) {
                assertArrayEquals(file.getValue(), LogTestSupport.snapshotFiles(follower.dir()).get(file.getKey()));
            }
        }
    }

    @Test
    void offsetsBelowTheLogEndOrOutOfOrderAreRefused() throws IOException {
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower")) {
            fillLeader(leader);
            replicate(leader, follower, 1);
            ByteBuffer again = leader.read(leader.logEndOffset() - 3, 1, leader.logEndOffset(), true).readAll();
            LogException below = assertThrows(LogException.class, () -> follower.appendAsFollower(again));
            assertEquals(Errors.UNKNOWN_SERVER_ERROR, below.error());
            assertTrue(below.getMessage().contains("below the log end offset " + follower.logEndOffset()),
                    below.getMessage());

            ByteBuffer first = Batches.plain(2, 10, "x", Batches.BASE_TIME);
            first.putLong(0, 200L);
            ByteBuffer second = Batches.plain(2, 10, "y", Batches.BASE_TIME);
            second.putLong(0, 201L);
            ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining());
            both.put(first).put(second).flip();
            LogException disordered = assertThrows(LogException.class, () -> follower.appendAsFollower(both));
            assertEquals(Errors.UNKNOWN_SERVER_ERROR, disordered.error());
            assertEquals(leader.logEndOffset(), follower.logEndOffset());
        }
    }

    @Test
    void gapsOfACompactedLeaderAreKeptAndAnEmptyFetchIsANoOp() throws IOException {
        try (PartitionLog follower = open("follower")) {
            LogAppendInfo none = follower.appendAsFollower(ByteBuffer.allocate(0).asReadOnlyBuffer());
            assertEquals(-1L, none.firstOffset());
            assertEquals(0, follower.logEndOffset());
            ByteBuffer batch = Batches.plain(3, 10, "gap", Batches.BASE_TIME);
            batch.putLong(0, 100L);
            batch.putInt(RecordBatchView.PARTITION_LEADER_EPOCH_OFFSET, 4);
            LogAppendInfo info = follower.appendAsFollower(batch.asReadOnlyBuffer());
            assertEquals(100L, info.firstOffset());
            assertEquals(102L, info.lastOffset());
            assertEquals(103L, follower.logEndOffset());
            assertEquals(Map.of(4, 100L), follower.leaderEpochs());
            List<RecordBatch> read = Batches.readWithKafka(follower.read(50, 1000, 103, true).readAll());
            assertEquals(1, read.size());
            assertEquals(100L, read.get(0).baseOffset());
        }
    }

    @Test
    void theFollowersProducerStateIsTheLeadersAndARetryAfterFailoverIsADuplicate() throws IOException {
        try (PartitionLog leader = open("leader"); PartitionLog follower = open("follower")) {
            for (int b = 0; b < 8; b++) {
                leader.append(Batches.idempotent(9L, (short) 2, 3 * b, 3, Batches.BASE_TIME + b), 5);
                leader.append(Batches.plain(1, 30, "p" + b, Batches.BASE_TIME + b), 5);
            }
            replicate(leader, follower, 700);
            ProducerStateEntry expected = leader.producerState(9L);
            ProducerStateEntry actual = follower.producerState(9L);
            assertNotNull(actual);
            assertEquals(expected.producerEpoch(), actual.producerEpoch());
            assertEquals(expected.batches(), actual.batches());
            assertEquals(ProducerStateEntry.NUM_BATCHES_TO_RETAIN, actual.batches().size());

            // The leader fails; the follower leads in epoch 6 and the producer retries its last two batches.
            follower.assignEpochStartOffset(6, follower.logEndOffset());
            for (int b = 6; b < 8; b++) {
                LogAppendInfo retry = follower.append(Batches.idempotent(9L, (short) 2, 3 * b, 3,
                        Batches.BASE_TIME + b), 6);
                assertTrue(retry.duplicate(), "batch " + b + " is a duplicate");
                assertEquals(4L * b, retry.firstOffset());
                assertEquals(4L * b + 2, retry.lastOffset());
            }
            long end = follower.logEndOffset();
            LogAppendInfo next = follower.append(Batches.idempotent(9L, (short) 2, 24, 3, Batches.BASE_TIME), 6);
            assertFalse(next.duplicate());
            assertEquals(end, next.firstOffset());
            LogException gap = assertThrows(LogException.class,
                    () -> follower.append(Batches.idempotent(9L, (short) 2, 40, 1, Batches.BASE_TIME), 6));
            assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, gap.error());
            assertEquals(Map.of(5, 0L, 6, end), follower.leaderEpochs());
        }
    }
}
