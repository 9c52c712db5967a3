package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.log.LogConfig;
import io.fjord.log.LogManager;
import io.fjord.log.LogManagerConfig;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replica manager over real partition logs, with batches written by Kafka's own classes. */
class ReplicaManagerTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private ThreadScheduler scheduler;
    private LogManager logManager;
    private ReplicaManager replicaManager;

    @BeforeEach
    void start() throws Exception {
        scheduler = new ThreadScheduler(1, "replication-test-");
        logManager = new LogManager(List.of(dir), tp -> LogConfig.defaults(), LogManagerConfig.defaults(),
                Time.SYSTEM, scheduler);
        logManager.startup();
        replicaManager = new ReplicaManager(1, logManager);
    }

    @AfterEach
    void stop() throws Exception {
        replicaManager.close();
        logManager.shutdown();
        scheduler.close();
    }

    /** A batch of {@code count} records built by Kafka's MemoryRecords, in a writable buffer. */
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

    private Map<TopicPartition, ProducePartitionResult> produce(short acks, ByteBuffer records) throws Exception {
        CompletableFuture<Map<TopicPartition, ProducePartitionResult>> done = new CompletableFuture<>();
        replicaManager.appendRecords(acks, 30_000, Map.of(TP, records), done::complete);
        return done.get(30, TimeUnit.SECONDS);
    }

    private static List<String> values(FetchPartitionResult result) throws Exception {
        List<String> values = new ArrayList<>();
        for (Record r : MemoryRecords.readableRecords(result.records().readAll()).records()) {
            values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
        }
        return values;
    }

    @Test
    void appendsMoveTheHighWatermarkToTheLogEnd() throws Exception {
        Partition partition = replicaManager.becomeLeader(TP, 0, 1);
        ProducePartitionResult first = produce((short) -1, batch(3, "a")).get(TP);
        ProducePartitionResult second = produce((short) 1, batch(2, "b")).get(TP);

        assertEquals(Errors.NONE, first.error());
        assertEquals(0L, first.baseOffset());
        assertEquals(2L, first.lastOffset());
        assertEquals(3L, second.baseOffset());
        assertEquals(5L, partition.logEndOffset());
        assertEquals(5L, partition.highWatermark());
        assertEquals(List.of(1), partition.inSyncReplicas());
    }

    @Test
    void concurrentAcksAllAppendsAreAnsweredAtOnceOnOneNode() throws Exception {
        Partition partition = replicaManager.becomeLeader(TP, 0, 1);
        int threads = 4;
        int appends = 500;
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < appends; i++) {
                    CompletableFuture<Map<TopicPartition, ProducePartitionResult>> done = new CompletableFuture<>();
                    replicaManager.appendRecords((short) -1, 30_000, Map.of(TP, batch(1, "c")), done::complete);
                    if (!done.isDone() || done.join().get(TP).error() != Errors.NONE) {
                        // A high watermark that moved back would park this append until its time-out.
                        failures.add(new AssertionError("append " + i + " not acknowledged at once: " + done));
                        return;
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(60_000);
        }
        assertEquals(List.of(), failures);
        assertEquals((long) threads * appends, partition.highWatermark());
    }

    @Test
    void aSingleReplicaTakesAcksAllEvenBelowMinInsyncReplicasAsKafka4Does() throws Exception {
        // Kafka 4's effective minimum is min(min.insync.replicas, replication factor).
        Partition partition = replicaManager.becomeLeader(TP, 0, 2);
        assertEquals(Errors.NONE, produce((short) -1, batch(1, "x")).get(TP).error());
        assertEquals(Errors.NONE, produce((short) 1, batch(1, "y")).get(TP).error());
        assertEquals(2L, partition.highWatermark());
    }

    @Test
    void unknownPartitionsAreAnsweredWithoutAppendingOrWaiting() throws Exception {
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, produce((short) 1, batch(1, "x")).get(TP).error());
        CompletableFuture<List<FetchPartitionResult>> fetched = new CompletableFuture<>();
        replicaManager.fetchMessages(new FetchParams(30_000, 1, 1 << 20),
                List.of(new FetchPartitionRequest(TP, 0, 1 << 20)), fetched::complete);
        assertTrue(fetched.isDone(), "an error is answered at once, not parked");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, fetched.get().get(0).error());
    }

    @Test
    void anOffsetOutsideTheLogIsOutOfRangeAtOnce() throws Exception {
        replicaManager.becomeLeader(TP, 0, 1);
        produce((short) 1, batch(2, "x"));
        CompletableFuture<List<FetchPartitionResult>> fetched = new CompletableFuture<>();
        replicaManager.fetchMessages(new FetchParams(30_000, 1, 1 << 20),
                List.of(new FetchPartitionRequest(TP, 3, 1 << 20)), fetched::complete);
        assertTrue(fetched.isDone());
        assertEquals(Errors.OFFSET_OUT_OF_RANGE, fetched.get().get(0).error());
        assertEquals(2L, fetched.get().get(0).highWatermark());
    }

    @Test
    void aParkedFetchIsAnsweredByTheAppendThatBringsData() throws Exception {
        replicaManager.becomeLeader(TP, 0, 1);
        CompletableFuture<List<FetchPartitionResult>> fetched = new CompletableFuture<>();
        replicaManager.fetchMessages(new FetchParams(60_000, 1, 1 << 20),
                List.of(new FetchPartitionRequest(TP, 0, 1 << 20)), fetched::complete);
        assertFalse(fetched.isDone());
        assertEquals(1, replicaManager.delayedFetchCount());

        produce((short) 1, batch(4, "v"));
        // The append completes the parked fetch on the appending thread, before it returns.
        assertTrue(fetched.isDone());
        FetchPartitionResult result = fetched.get().get(0);
        assertEquals(Errors.NONE, result.error());
        assertEquals(4L, result.highWatermark());
        assertEquals(List.of("v0", "v1", "v2", "v3"), values(result));
    }

    @Test
    void aParkedFetchExpiresWithWhatIsThere() throws Exception {
        replicaManager.becomeLeader(TP, 0, 1);
        produce((short) 1, batch(1, "only"));
        CompletableFuture<List<FetchPartitionResult>> fetched = new CompletableFuture<>();
        // Wants far more bytes than one small batch: parked until its 50 ms run out.
        replicaManager.fetchMessages(new FetchParams(50, 1 << 20, 1 << 20),
                List.of(new FetchPartitionRequest(TP, 0, 1 << 20)), fetched::complete);
        FetchPartitionResult result = fetched.get(30, TimeUnit.SECONDS).get(0);
        assertEquals(List.of("only0"), values(result));
    }

    @Test
    void theFirstBatchIsReturnedWholeEvenAboveTheLimits() throws Exception {
        replicaManager.becomeLeader(TP, 0, 1);
        produce((short) 1, batch(50, "record-"));
        produce((short) 1, batch(50, "second-"));
        CompletableFuture<List<FetchPartitionResult>> fetched = new CompletableFuture<>();
        replicaManager.fetchMessages(new FetchParams(0, 1, 10),
                List.of(new FetchPartitionRequest(TP, 0, 10)), fetched::complete);
        List<String> got = values(fetched.get().get(0));
        assertEquals(50, got.size(), "exactly the first whole batch");
        assertEquals("record-49", got.get(49));
    }

    @Test
    void deletingAPartitionAnswersItsParkedFetches() throws Exception {
        replicaManager.becomeLeader(TP, 0, 1);
        CompletableFuture<List<FetchPartitionResult>> fetched = new CompletableFuture<>();
        replicaManager.fetchMessages(new FetchParams(60_000, 1, 1 << 20),
                List.of(new FetchPartitionRequest(TP, 0, 1 << 20)), fetched::complete);
        replicaManager.deletePartition(TP);
        assertTrue(fetched.isDone());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, fetched.get().get(0).error());
        assertEquals(null, replicaManager.partition(TP));
    }
}
