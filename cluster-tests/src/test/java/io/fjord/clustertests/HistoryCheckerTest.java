package io.fjord.clustertests;

import io.fjord.clustertests.ReplicaLogs.EpochEntry;
import io.fjord.clustertests.ReplicaLogs.Replica;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker on synthetic histories: a consistent one passes, and each kind of violation it
 * exists to catch is caught, so a green fault test means something. The replica reader is checked
 * on segment and checkpoint files written with Kafka's own classes.
 */
class HistoryCheckerTest {

    private static final List<EpochEntry> EPOCHS = List.of(new EpochEntry(0, 0), new EpochEntry(1, 2));

    /** Values v0..v(n-1) at offsets 0..n-1. */
    private static NavigableMap<Long, String> log(int n) {
        NavigableMap<Long, String> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            out.put((long) i, "v" + i);
        }
        return out;
    }

    private static Replica replica(int broker, NavigableMap<Long, String> records, long hw, List<EpochEntry> epochs) {
        return new Replica(broker, 0, records, hw, epochs, List.of());
    }

    private static List<Replica> healthy(int n) {
        return List.of(replica(1, log(n), n, EPOCHS), replica(2, log(n), n, EPOCHS), replica(3, log(n), n, EPOCHS));
    }

    /** Acknowledged and read in order, all of v0..v(n-1). */
    private static History consistent(int n) {
        History h = new History();
        for (int i = 0; i < n; i++) {
            h.sent("v" + i);
            h.acked(0, i, "v" + i);
            h.read("c1", 0, i, "v" + i);
        }
        return h;
    }

    private static void assertViolation(History h, List<Replica> replicas, String expected) {
        List<String> found = HistoryChecker.check(h, replicas, 1);
        assertTrue(found.stream().anyMatch(v -> v.contains(expected)), "expected '" + expected + "' in " + found);
    }

    @Test
    void aConsistentHistoryPasses() {
        assertEquals(List.of(), HistoryChecker.check(consistent(5), healthy(5), 1));
    }

    @Test
    void anAcknowledgedValueNoReplicaHasIsLost() {
        History h = consistent(5);
        h.acked(0, 5, "v5");
        assertViolation(h, healthy(5), "v5 at 5 is lost");
    }

    @Test
    void anAcknowledgedOffsetHoldingAnotherValueIsAConflict() {
        History h = consistent(5);
        h.acked(0, 4, "old-leader");
        assertViolation(h, healthy(5), "offset 4 holds v4");
        assertViolation(h, healthy(5), "acknowledged old-leader at 4 but broker 1");
    }

    @Test
    void aValueAtTwoOffsetsIsADuplicate() {
        NavigableMap<Long, String> dup = log(5);
        dup.put(5L, "v3");
        List<Replica> replicas = List.of(replica(1, dup, 6, EPOCHS), replica(2, new TreeMap<>(dup), 6, EPOCHS),
                replica(3, new TreeMap<>(dup), 6, EPOCHS));
        assertViolation(consistent(5), replicas, "value v3 is at offsets 3 and 5");
    }

    @Test
    void aConsumerGoingBackOrSkippingIsCaughtButAGapTheLogHasIsAllowed() {
        History back = consistent(3);
        back.read("c1", 0, 1, "v1");
        assertViolation(back, healthy(3), "c1 went back from 2 to 1");

        History skip = new History();
        skip.read("c2", 0, 0, "v0");
        skip.read("c2", 0, 2, "v2");
        assertViolation(skip, healthy(3), "c2 skipped from 0 to 2");

        NavigableMap<Long, String> holey = log(4);
        holey.remove(2L);
        History overHole = new History();
        overHole.read("c3", 0, 0, "v0");
        overHole.read("c3", 0, 1, "v1");
        overHole.read("c3", 0, 3, "v3");
        List<Replica> replicas = List.of(replica(1, holey, 4, EPOCHS), replica(2, new TreeMap<>(holey), 4, EPOCHS));
        assertEquals(List.of(), HistoryChecker.check(overHole, replicas, 1));
    }

    @Test
    void replicasThatDifferBelowTheHighWatermarkOrInLeaderEpochsAreCaught() {
        NavigableMap<Long, String> diverged = log(5);
        diverged.put(3L, "other");
        List<Replica> replicas = List.of(replica(1, log(5), 5, EPOCHS), replica(2, diverged, 3, EPOCHS));
        assertViolation(new History(), replicas, "brokers 1 and 2 differ below high watermark 5: offset 3: v3 vs other");

        List<Replica> missing = List.of(replica(1, log(5), 5, EPOCHS), replica(2, log(4), 4, EPOCHS));
        assertViolation(new History(), missing, "offset 4: v4 vs null");

        List<Replica> epochs = List.of(replica(1, log(5), 5, EPOCHS),
                replica(2, log(5), 5, List.of(new EpochEntry(0, 0), new EpochEntry(2, 2))));
        assertViolation(new History(), epochs, "leader-epoch checkpoints differ below 5");
    }

    @Test
    void recordsAboveAFollowersHighWatermarkAreNotYetCommittedThere() {
        List<Replica> lagging = List.of(replica(1, log(5), 5, EPOCHS), replica(2, log(5), 3, EPOCHS));
        assertEquals(List.of(), HistoryChecker.check(consistent(5), lagging, 1));
    }

    @Test
    void theReaderTakesSegmentsAndCheckpointsAsKafkaWritesThem(@TempDir Path dataDir) throws Exception {
        Path partition = Files.createDirectories(dataDir.resolve("t-0"));
        writeSegment(partition.resolve("00000000000000000000.log"), 0, "a", "b");
        writeSegment(partition.resolve("00000000000000000002.log"), 2, "c");
        Files.writeString(partition.resolve("leader-epoch-checkpoint"), "0\n2\n0 0\n3 2\n");
        Files.writeString(dataDir.resolve("replication-offset-checkpoint"), "0\n2\nt 0 3\nother 0 9\n");

        List<Replica> read = ReplicaLogs.read(7, dataDir, "t", 2);
        assertEquals(2, read.size());
        Replica p0 = read.get(0);
        assertEquals(new TreeMap<>(java.util.Map.of(0L, "a", 1L, "b", 2L, "c")), p0.records());
        assertEquals(3, p0.highWatermark());
        assertEquals(List.of(new EpochEntry(0, 0), new EpochEntry(3, 2)), p0.epochs());
        assertTrue(read.get(1).records().isEmpty());
        assertEquals(-1, read.get(1).highWatermark());

        History h = new History();
        h.acked(0, 1, "b");
        h.acked(0, 2, "not-c");
        List<String> found = HistoryChecker.check(h, List.of(p0), 1);
        assertTrue(found.stream().anyMatch(v -> v.contains("offset 2 holds not-c")), found.toString());
    }

    private static void writeSegment(Path file, long baseOffset, String... values) throws Exception {
        List<SimpleRecord> records = new ArrayList<>();
        for (String v : values) {
            records.add(new SimpleRecord(v.getBytes(StandardCharsets.UTF_8)));
        }
        try (FileRecords out = FileRecords.open(file.toFile())) {
            out.append(MemoryRecords.withRecords(baseOffset, Compression.NONE, records.toArray(new SimpleRecord[0])));
            out.flush();
        }
    }
}
