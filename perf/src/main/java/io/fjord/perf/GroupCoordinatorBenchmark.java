package io.fjord.perf;

import io.fjord.api.TopicPartition;
import io.fjord.coordinator.GroupCoordinator;
import io.fjord.coordinator.GroupCoordinatorConfig;
import io.fjord.coordinator.JoinGroupRequest;
import io.fjord.coordinator.JoinGroupResult;
import io.fjord.coordinator.JoinProtocol;
import io.fjord.coordinator.OffsetFetchResult;
import io.fjord.coordinator.PartitionOffset;
import io.fjord.log.LogManager;
import io.fjord.log.LogManagerConfig;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.replication.ReplicaManager;
import io.fjord.timer.Timer;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The group coordinator's steady-state paths, below the wire, for one Stable consumer group with
 * one member: an OffsetCommit of 10 partitions (their existence and the member's validation, two
 * records per partition encoded in Kafka's layout, one batch appended to {@code __consumer_offsets}
 * with acks=all, the replay into memory); a Heartbeat (validation and moving the session deadline on the timing wheel); an
 * OffsetFetch of the same 10 partitions. Microseconds per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class GroupCoordinatorBenchmark {

    private static final String GROUP = "bench-group";
    private static final int OFFSETS_PARTITIONS = 50;
    private static final String TOPIC = "orders";
    private static final int TOPIC_PARTITIONS = 10;

    private Path root;
    private ThreadScheduler scheduler;
    private LogManager logManager;
    private ReplicaManager replicaManager;
    private GroupCoordinator coordinator;
    private String memberId;
    private int generation;
    private long nextOffset;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private Map<TopicPartition, Errors> committed;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        root = Files.createTempDirectory("fjord-group-coordinator");
        scheduler = new ThreadScheduler(1, "bench-coordinator");
        logManager = new LogManager(List.of(root),
                tp -> LogBenchmarkSupport.config(128 * 1024 * 1024, 256L * 1024 * 1024),
                LogManagerConfig.defaults(), Time.SYSTEM, scheduler);
        logManager.startup();
        replicaManager = new ReplicaManager(1, logManager);
        coordinator = new GroupCoordinator(GroupCoordinatorConfig.from(Map.of("group.initial.rebalance.delay.ms", "0")),
                replicaManager, this::leadOffsetsTopic, this::partitionExists, Time.SYSTEM, new Timer("bench"), scheduler);
        coordinator.startup(0);
        List<JoinProtocol> protocols = List.of(new JoinProtocol("range", new byte[64]));
        AtomicReference<JoinGroupResult> joined = new AtomicReference<>();
        coordinator.joinGroup(new JoinGroupRequest(GROUP, "", null, "bench", "/127.0.0.1", 60_000, 45_000,
                "consumer", protocols, false), joined::set);
        memberId = joined.get().memberId();
        generation = joined.get().generationId();
        coordinator.syncGroup(GROUP, generation, memberId, null, Map.of(memberId, new byte[64]), r -> { });
        for (int p = 0; p < TOPIC_PARTITIONS; p++) {
            partitions.add(new TopicPartition(TOPIC, p));
        }
    }

    private boolean partitionExists(TopicPartition tp) {
        return tp.topic().equals(TOPIC) && tp.partition() < TOPIC_PARTITIONS;
    }

    private int leadOffsetsTopic() {
        try {
            for (int p = 0; p < OFFSETS_PARTITIONS; p++) {
                replicaManager.becomeLeader(new TopicPartition("__consumer_offsets", p), 0, 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return OFFSETS_PARTITIONS;
    }

    @TearDown(Level.Iteration)
    public void trim() {
        logManager.cleanupLogs();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        coordinator.shutdown();
        replicaManager.close();
        logManager.shutdown();
        scheduler.close();
        LogBenchmarkSupport.deleteRecursively(root);
    }

    @Benchmark
    public Map<TopicPartition, Errors> commitTenPartitions() {
        Map<TopicPartition, PartitionOffset> offsets = new LinkedHashMap<>();
        long offset = nextOffset++;
        for (TopicPartition tp : partitions) {
            offsets.put(tp, new PartitionOffset(offset, 0, ""));
        }
        coordinator.commitOffsets(GROUP, memberId, null, generation, offsets, r -> committed = r);
        return committed;
    }

    @Benchmark
    public Errors heartbeat() {
        return coordinator.heartbeat(GROUP, memberId, null, generation);
    }

    @Benchmark
    public OffsetFetchResult fetchTenPartitions() {
        return coordinator.fetchOffsets(GROUP, partitions);
    }
}
