package io.fjord.perf;

import io.fjord.api.TopicPartition;
import io.fjord.log.LogManager;
import io.fjord.log.LogManagerConfig;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
import io.fjord.replication.FetchParams;
import io.fjord.replication.FetchPartitionRequest;
import io.fjord.replication.FetchPartitionResult;
import io.fjord.replication.ProducePartitionResult;
import io.fjord.replication.ReplicaManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The broker's produce and fetch paths below the wire: a 16 KiB batch appended through the
 * replica manager with acks=all (min.insync.replicas check, log append, high watermark, wake-up
 * of parked fetches, the delayed produce completing at once on one node), and a 1 MiB fetch of
 * whole batches as a file slice from a warm log (no bytes copied: the slice is what sendfile
 * would send). Microseconds per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ReplicaManagerBenchmark {

    private static final TopicPartition PRODUCED = new TopicPartition("produced", 0);
    private static final TopicPartition FETCHED = new TopicPartition("fetched", 0);
    private static final int BATCH_BYTES = 16 * 1024;

    private Path root;
    private ThreadScheduler scheduler;
    private LogManager logManager;
    private ReplicaManager replicaManager;
    private ByteBuffer batch;
    private Map<TopicPartition, ProducePartitionResult> produced;
    private List<FetchPartitionResult> fetched;
    private final FetchParams fetchParams = new FetchParams(0, 1, 1024 * 1024);
    private final List<FetchPartitionRequest> fetchRequest = List.of(new FetchPartitionRequest(FETCHED, 0, 1024 * 1024));

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        root = Files.createTempDirectory("fjord-replica-manager");
        scheduler = new ThreadScheduler(1, "bench-replication");
        logManager = new LogManager(List.of(root),
                tp -> LogBenchmarkSupport.config(128 * 1024 * 1024, 256L * 1024 * 1024),
                LogManagerConfig.defaults(), Time.SYSTEM, scheduler);
        logManager.startup();
        replicaManager = new ReplicaManager(1, logManager);
        replicaManager.becomeLeader(PRODUCED, 0, 1);
        replicaManager.becomeLeader(FETCHED, 0, 1);
        batch = LogBenchmarkSupport.batchOfAbout(BATCH_BYTES, System.currentTimeMillis());
        for (int i = 0; i < 128; i++) {
            replicaManager.appendRecords((short) 1, 0, Map.of(FETCHED, batch), r -> produced = r);
        }
    }

    @TearDown(Level.Iteration)
    public void trim() {
        logManager.cleanupLogs();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        replicaManager.close();
        logManager.shutdown();
        scheduler.close();
        LogBenchmarkSupport.deleteRecursively(root);
    }

    @Benchmark
    public Map<TopicPartition, ProducePartitionResult> produceAcksAll() {
        replicaManager.appendRecords((short) -1, 30_000, Map.of(PRODUCED, batch), r -> produced = r);
        return produced;
    }

    @Benchmark
    public List<FetchPartitionResult> fetchOneMebibyte() {
        replicaManager.fetchMessages(fetchParams, fetchRequest, r -> fetched = r);
        return fetched;
    }
}
