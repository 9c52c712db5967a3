package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
import io.fjord.log.FileSlice;
import io.fjord.log.LogConfig;
import io.fjord.log.PartitionLog;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The divergence cases of KIP-101 and KIP-279, each replayed between two real logs: a leader
 * answering follower fetches, and a follower that truncates where told and appends what it gets,
 * exactly as the fetcher thread does, until it has caught up. Afterwards both logs hold the same
 * batches byte for byte and the same leader epochs, whatever the follower held before.
 */
class DivergenceTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private ThreadScheduler scheduler;
    private PartitionLog leaderLog;
    private PartitionLog followerLog;

    /** A run of {@code count} single-record batches written at {@code epoch}. */
    record Run(int epoch, int count) {
    }

    @BeforeEach
    void open() throws Exception {
        scheduler = new ThreadScheduler(1, "divergence-test-");
        leaderLog = PartitionLog.open(dir.resolve("leader"), TP, LogConfig.defaults(), 0, 0, true, Time.SYSTEM, scheduler);
        followerLog = PartitionLog.open(dir.resolve("follower"), TP, LogConfig.defaults(), 0, 0, true, Time.SYSTEM,
                scheduler);
    }

    @AfterEach
    void close() throws Exception {
        leaderLog.close();
        followerLog.close();
        scheduler.close();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("follower empty", List.of(new Run(0, 4), new Run(2, 3)), List.of(), 3),
                Arguments.of("follower behind in the same epochs", List.of(new Run(0, 5), new Run(1, 3)),
                        List.of(new Run(0, 3)), 2),
                // KIP-101 case 1: the follower kept a tail of the old leader's epoch that the new leader never had.
                Arguments.of("uncommitted tail of the same epoch", List.of(new Run(0, 3), new Run(1, 2)),
                        List.of(new Run(0, 5)), 1),
                // KIP-101 case 2: both wrote different records at the same offsets under different epochs.
                Arguments.of("same offsets, different epochs", List.of(new Run(0, 2), new Run(2, 2)),
                        List.of(new Run(0, 2), new Run(1, 3)), 3),
                // KIP-279: the follower has an epoch the leader never had, between two it shares; several rounds.
                Arguments.of("an epoch the leader never had", List.of(new Run(0, 3), new Run(2, 6)),
                        List.of(new Run(0, 3), new Run(1, 3), new Run(3, 3)), 4),
                Arguments.of("only epochs the leader never had", List.of(new Run(0, 5)),
                        List.of(new Run(2, 3)), 4),
                Arguments.of("follower ahead, leader started a new epoch", List.of(new Run(0, 2)),
                        List.of(new Run(0, 6)), 1));
    }

    /**
     * Writes the runs; a record's value is its epoch and offset, so the two logs hold identical
     * batches where they agree (as replicated ones would) and different ones where they diverge.
     */
    private static void write(PartitionLog log, List<Run> runs) {
        int n = 0;
        for (Run run : runs) {
            for (int i = 0; i < run.count(); i++) {
                SimpleRecord record = new SimpleRecord(1000L + n, null,
                        (run.epoch() + "-" + n++).getBytes(StandardCharsets.UTF_8));
                ByteBuffer kafka = MemoryRecords.withRecords(Compression.NONE, record).buffer();
                ByteBuffer copy = ByteBuffer.allocate(kafka.remaining());
                copy.put(kafka).flip();
                log.append(copy, run.epoch());
            }
        }
    }

    /** Every batch of the log, read segment by segment (a read stops at a segment's end). */
    private static ByteBuffer whole(PartitionLog log) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            FileSlice slice = log.read(offset, Integer.MAX_VALUE, log.logEndOffset(), true);
            ByteBuffer bytes = slice.readAll();
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            offset = slice.nextOffset();
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFollowerEndsWithTheLeadersLog(String name, List<Run> leaderRuns, List<Run> followerRuns, int leaderEpoch)
            throws Exception {
        write(leaderLog, leaderRuns);
        write(followerLog, followerRuns);
        Partition leader = new Partition(TP, leaderLog, 1, 1, Time.SYSTEM, ReplicationSettings.defaults(),
                AlterPartitionSender.NONE, id -> true, tp -> { });
        leader.makeLeader(leaderEpoch, 0, List.of(1, 2), List.of(1, 2));
        int rounds = 0;
        while (true) {
            if (++rounds > 20) {
                fail(name + ": no agreement after 20 fetches");
            }
            long fetchOffset = followerLog.logEndOffset();
            FollowerRead read = leader.readForFollower(new FollowerFetch(2, 1L, leaderEpoch, fetchOffset,
                    followerLog.latestEpoch(), 1 << 20, true));
            if (read.divergingEpoch() != null) {
                long target = TruncationPoint.of(followerLog, read.divergingEpoch());
                assertTrue(target < fetchOffset, name + ": a divergence answer must cut something");
                followerLog.truncateTo(target);
                continue;
            }
            if (read.records().isEmpty()) {
                break;
            }
            followerLog.appendAsFollower(read.records().readAll());
        }
        assertEquals(leaderLog.logEndOffset(), followerLog.logEndOffset(), name);
        assertEquals(whole(leaderLog), whole(followerLog), name + ": the same batches, byte for byte");
        assertEquals(leaderLog.leaderEpochs().headMap(leaderEpoch), followerLog.leaderEpochs().headMap(leaderEpoch),
                name + ": the same epochs");
        assertEquals(leaderLog.logEndOffset(), leader.followerStates().get(2).logEndOffset());
    }
}
