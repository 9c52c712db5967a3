package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.log.EpochEndOffset;
import io.fjord.log.LogConfig;
import io.fjord.log.PartitionLog;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader's replication rules on a driven clock, with followers' fetches made by hand against a
 * real log: the high watermark, the maximal ISR, ISR expansion and shrink through AlterPartition,
 * min.insync.replicas before and after the append, and the divergence answer (KIP-595).
 */
class PartitionReplicationTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int LEADER = 1;
    private static final List<Integer> REPLICAS = List.of(1, 2, 3);
    private static final long LAG_MS = 30_000;

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000L);
    private final Time time = new Time() {
        @Override
        public long milliseconds() {
            return clock.get();
        }

        @Override
        public long nanoseconds() {
            return clock.get() * 1_000_000L;
        }
    };
    /** AlterPartition proposals, answered by the test on another thread as the contract requires. */
    private final BlockingQueue<Proposal> proposals = new LinkedBlockingQueue<>();
    private ThreadScheduler scheduler;
    private PartitionLog log;
    private Partition partition;

    private record Proposal(int leaderEpoch, int partitionEpoch, List<Integer> isr, Consumer<AlterPartitionOutcome> onDone) {
        void commit() throws InterruptedException {
            answer(new AlterPartitionOutcome(Errors.NONE, leaderEpoch, partitionEpoch + 1, isr));
        }

        void answer(AlterPartitionOutcome outcome) throws InterruptedException {
            Thread t = new Thread(() -> onDone.accept(outcome));
            t.start();
            t.join();
        }
    }

    @BeforeEach
    void open() throws Exception {
        scheduler = new ThreadScheduler(1, "partition-test-");
        log = PartitionLog.open(dir.resolve("t-0"), TP, LogConfig.defaults(), 0, 0, true, time, scheduler);
        AlterPartitionSender sender = (tp, leaderEpoch, partitionEpoch, isr, memberEpochs, onDone) ->
                proposals.add(new Proposal(leaderEpoch, partitionEpoch, isr, onDone));
        partition = new Partition(TP, log, LEADER, 2, time, new ReplicationSettings(LAG_MS, 1, 1 << 20, 10 << 20,
                500, 1, 1000, 30_000), sender, id -> true, tp -> { });
    }

    @AfterEach
    void close() throws Exception {
        log.close();
        scheduler.close();
    }

    private static ByteBuffer batch(int count, String prefix) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(1000L + i, null, (prefix + i).getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer kafka = MemoryRecords.withRecords(Compression.NONE, records).buffer();
        ByteBuffer copy = ByteBuffer.allocate(kafka.remaining());
        copy.put(kafka).flip();
        return copy;
    }

    private FollowerRead fetch(int replica, long offset, int lastFetchedEpoch) {
        return partition.readForFollower(new FollowerFetch(replica, 7L, partition.leaderEpoch(), offset,
                lastFetchedEpoch, 1 << 20, true));
    }

    private Proposal nextProposal() throws InterruptedException {
        Proposal p = proposals.poll(10, TimeUnit.SECONDS);
        assertNotNull(p, "an AlterPartition was proposed");
        return p;
    }

    @Test
    void theHighWatermarkIsTheSmallestLogEndOffsetOfTheIsr() {
        partition.makeLeader(5, 10, REPLICAS, REPLICAS);
        partition.appendRecordsToLeader(batch(5, "a"), (short) -1);
        assertEquals(0L, partition.highWatermark(), "no follower has fetched yet");
        fetch(2, 5, 5);
        assertEquals(0L, partition.highWatermark(), "follower 3 has nothing yet");
        FollowerRead read = fetch(3, 3, 5);
        assertEquals(3L, partition.highWatermark());
        assertTrue(read.highWatermarkMoved());
        assertEquals(3L, read.highWatermark());
        assertFalse(read.records().isEmpty(), "follower 3 gets offsets 3 and 4");
        fetch(3, 5, 5);
        assertEquals(5L, partition.highWatermark());
        assertEquals(Errors.NONE, partition.acksAllOutcome(4));
        assertNull(partition.acksAllOutcome(5), "offset 5 is not written yet");
    }

    @Test
    void acksAllIsRefusedBeforeTheAppendWhenTheIsrIsBelowTheMinimum() {
        partition.makeLeader(1, 0, REPLICAS, List.of(1));
        ReplicationException e = assertThrows(ReplicationException.class,
                () -> partition.appendRecordsToLeader(batch(1, "x"), (short) -1));
        assertEquals(Errors.NOT_ENOUGH_REPLICAS, e.error());
        assertEquals(0L, partition.logEndOffset(), "nothing appended");
        partition.appendRecordsToLeader(batch(1, "x"), (short) 1);
        assertEquals(1L, partition.logEndOffset(), "acks=1 is not held to the minimum");
    }

    @Test
    void aLaggingFollowerLeavesTheIsrAfterTheLagTimeAndCountsUntilTheShrinkIsCommitted() throws Exception {
        partition.makeLeader(1, 0, REPLICAS, REPLICAS);
        partition.appendRecordsToLeader(batch(3, "a"), (short) -1);
        fetch(2, 3, 1);
        fetch(3, 3, 1);
        assertEquals(3L, partition.highWatermark());
        partition.appendRecordsToLeader(batch(2, "b"), (short) -1);
        clock.addAndGet(LAG_MS / 2);
        fetch(2, 5, 1);
        assertFalse(partition.maybeShrinkIsr(), "follower 3 is within the lag time");
        clock.addAndGet(LAG_MS / 2 + 1);
        fetch(2, 5, 1);
        assertTrue(partition.maybeShrinkIsr());
        Proposal shrink = nextProposal();
        assertEquals(List.of(1, 2), shrink.isr());
        assertEquals(List.of(1, 2, 3), partition.maximalIsr(), "a pending shrink still waits for 3");
        assertEquals(3L, partition.highWatermark());
        shrink.commit();
        assertEquals(List.of(1, 2), partition.inSyncReplicas());
        assertEquals(1, partition.partitionEpoch());
        assertEquals(5L, partition.highWatermark(), "3 no longer holds the high watermark back");
    }

    @Test
    void isrExpansionWaitsForTheFollowerToCatchUp() throws Exception {
        partition.makeLeader(2, 4, REPLICAS, List.of(1, 2));
        partition.appendRecordsToLeader(batch(4, "a"), (short) -1);
        fetch(2, 4, 2);
        assertEquals(4L, partition.highWatermark());
        fetch(3, 2, 2);
        assertTrue(proposals.isEmpty(), "3 is below the high watermark");
        fetch(3, 4, 2);
        Proposal expand = nextProposal();
        assertEquals(List.of(1, 2, 3), expand.isr());
        assertEquals(4, expand.partitionEpoch());
        assertEquals(List.of(1, 2, 3), partition.maximalIsr(), "a pending expansion counts at once");
        expand.commit();
        assertEquals(List.of(1, 2, 3), partition.inSyncReplicas());
        assertEquals(5, partition.partitionEpoch());
    }

    @Test
    void aRefusedAlterPartitionLeavesTheCommittedIsrAndProposesAgainLater() throws Exception {
        partition.makeLeader(2, 4, REPLICAS, List.of(1, 2));
        fetch(3, 0, -1);
        nextProposal().answer(AlterPartitionOutcome.failed(Errors.INVALID_UPDATE_VERSION));
        assertEquals(List.of(1, 2), partition.inSyncReplicas());
        assertEquals(List.of(1, 2), partition.maximalIsr());
        fetch(3, 0, -1);
        assertEquals(List.of(1, 2, 3), nextProposal().isr());
    }

    @Test
    void acksAllAfterTheIsrShrankBelowTheMinimumIsNotEnoughReplicasAfterAppend() throws Exception {
        partition.makeLeader(1, 0, REPLICAS, REPLICAS);
        partition.appendRecordsToLeader(batch(2, "a"), (short) -1);
        assertNull(partition.acksAllOutcome(1), "waiting for the followers");
        clock.addAndGet(LAG_MS + 1);
        assertTrue(partition.maybeShrinkIsr());
        nextProposal().commit();
        assertEquals(List.of(1), partition.inSyncReplicas());
        assertEquals(2L, partition.highWatermark(), "the leader alone is the ISR now");
        assertEquals(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND, partition.acksAllOutcome(1));
    }

    @Test
    void aFollowerWhoseLastEpochEndsEarlierInTheLeadersLogIsToldWhereToTruncate() {
        partition.makeLeader(1, 0, REPLICAS, REPLICAS);
        partition.appendRecordsToLeader(batch(5, "a"), (short) 1); // epoch 1: offsets 0-4
        partition.makeLeader(3, 1, REPLICAS, REPLICAS);
        partition.appendRecordsToLeader(batch(3, "b"), (short) 1); // epoch 3: offsets 5-7
        // The follower has epoch 2 (never in the leader's log) up to offset 7.
        FollowerRead read = fetch(2, 8, 2);
        assertEquals(new EpochEndOffset(1, 5L), read.divergingEpoch());
        assertTrue(read.records().isEmpty());
        assertEquals(-1L, partition.followerStates().get(2).logEndOffset(), "a diverging fetch moves no state");
        // The follower is behind within epoch 1: no divergence, it reads on.
        FollowerRead ok = fetch(2, 3, 1);
        assertNull(ok.divergingEpoch());
        assertFalse(ok.records().isEmpty());
        // A follower with more of epoch 1 than the leader kept.
        assertEquals(new EpochEndOffset(1, 5L), fetch(3, 6, 1).divergingEpoch());
    }

    @Test
    void wrongEpochsAndUnassignedReplicasAreRefused() {
        partition.makeLeader(4, 0, List.of(1, 2), List.of(1, 2));
        ReplicationException fenced = assertThrows(ReplicationException.class, () -> partition.readForFollower(
                new FollowerFetch(2, 7L, 3, 0, -1, 1024, true)));
        assertEquals(Errors.FENCED_LEADER_EPOCH, fenced.error());
        ReplicationException unknown = assertThrows(ReplicationException.class, () -> partition.readForFollower(
                new FollowerFetch(2, 7L, 5, 0, -1, 1024, true)));
        assertEquals(Errors.UNKNOWN_LEADER_EPOCH, unknown.error());
        ReplicationException notReplica = assertThrows(ReplicationException.class, () -> fetch(3, 0, -1));
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, notReplica.error());
        partition.makeFollower(2, 5, 1, List.of(1, 2), List.of(1, 2));
        ReplicationException follower = assertThrows(ReplicationException.class,
                () -> partition.appendRecordsToLeader(batch(1, "x"), (short) 1));
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, follower.error());
    }

    @Test
    void truncationPointsFollowKip101AndKip279() throws Exception {
        // Leader: epoch 0 at 0-2, epoch 2 at 3-8. Follower: epoch 0 at 0-2, epoch 1 at 3-5, epoch 3 at 6-8.
        PartitionLog follower = PartitionLog.open(dir.resolve("f-0"), new TopicPartition("f", 0), LogConfig.defaults(),
                0, 0, true, time, scheduler);
        try {
            follower.append(batch(3, "x"), 0);
            follower.append(batch(3, "y"), 1);
            follower.append(batch(3, "z"), 3);
            // The leader answers for the follower's last epoch 3: its largest epoch at or below is 2, ending at 9.
            long first = TruncationPoint.of(follower, new EpochEndOffset(2, 9L));
            assertEquals(6L, first, "the follower lacks epoch 2: cut to the end of its epoch 1 and ask again");
            follower.truncateTo(first);
            // Next round, last epoch 1: the leader has no epoch 1; its epoch 0 ends at 3.
            long second = TruncationPoint.of(follower, new EpochEndOffset(0, 3L));
            assertEquals(3L, second);
            follower.truncateTo(second);
            assertEquals(0, follower.latestEpoch());
            // Both share epoch 0 to 3 now: nothing more to cut.
            assertEquals(3L, TruncationPoint.of(follower, new EpochEndOffset(0, 3L)));
            // The same epoch, the leader's copy shorter (KIP-101's first case).
            assertEquals(2L, TruncationPoint.of(follower, new EpochEndOffset(0, 2L)));
        } finally {
            follower.close();
        }
    }

    @Test
    void wholeBatchesDropATrailingPartialBatch() {
        ByteBuffer two = ByteBuffer.allocate(1024);
        ByteBuffer a = batch(2, "a");
        ByteBuffer b = batch(2, "b");
        int aLength = a.remaining();
        two.put(a).put(b.duplicate().limit(b.limit() - 3)).flip();
        assertEquals(aLength, WholeBatches.prefix(two).remaining());
        assertEquals(0, WholeBatches.prefix(ByteBuffer.allocate(5)).remaining());
    }
}
