package io.fjord.coordinator;

import io.fjord.common.testing.MockTime;
import io.fjord.common.testing.ManualScheduler;
import io.fjord.api.TopicPartition;
import io.fjord.log.LogConfig;
import io.fjord.log.LogManager;
import io.fjord.log.LogManagerConfig;
import io.fjord.common.errors.Errors;
import io.fjord.replication.ReplicaManager;
import io.fjord.timer.Timer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A coordinator over real partition logs in a temporary folder, on a clock and timer the test
 * drives: {@link #advance} moves time and runs whatever deadlines fell due, on the test thread.
 */
final class CoordinatorHarness implements AutoCloseable {

    static final int PARTITIONS = 3;
    static final String PROTOCOL_TYPE = "consumer";
    /** The topics that exist, with their partition counts: offsets are committed only for these. */
    final Map<String, Integer> topics = new ConcurrentHashMap<>(Map.of("t", 2, "other", 1));
    /** How many times the coordinator had {@code __consumer_offsets} created. */
    final AtomicInteger offsetsTopicCreations = new AtomicInteger();

    final Path dir;
    final MockTime time;
    final GroupCoordinatorConfig config;
    final ManualScheduler scheduler;
    Timer timer;
    LogManager logManager;
    ReplicaManager replicaManager;
    GroupCoordinator coordinator;

    CoordinatorHarness(Path dir, Map<String, String> props) throws IOException {
        this(dir, props, new MockTime(1_700_000_000_000L));
    }

    private CoordinatorHarness(Path dir, Map<String, String> props, MockTime time) throws IOException {
        this.dir = dir;
        this.time = time;
        this.scheduler = new ManualScheduler(time);
        Map<String, String> all = new HashMap<>();
        all.put("group.min.session.timeout.ms", "1000");
        all.putAll(props);
        this.config = GroupCoordinatorConfig.from(all);
        open(false);
    }

    private void open(boolean topicExists) throws IOException {
        timer = new Timer("test", time::milliseconds);
        logManager = new LogManager(List.of(dir), tp -> LogConfig.defaults(), LogManagerConfig.defaults(), time,
                scheduler);
        logManager.startup();
        replicaManager = new ReplicaManager(1, logManager);
        if (topicExists) {
            leadOffsetsPartitions();
        }
        OffsetsTopicCreator creator = () -> {
            offsetsTopicCreations.incrementAndGet();
            return leadOffsetsPartitions();
        };
        coordinator = new GroupCoordinator(config, replicaManager, creator,
                tp -> tp.partition() < topics.getOrDefault(tp.topic(), 0), time, timer, scheduler);
        coordinator.startup(topicExists ? PARTITIONS : 0);
    }

    private int leadOffsetsPartitions() {
        try {
            for (int p = 0; p < PARTITIONS; p++) {
                replicaManager.becomeLeader(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, p), 0, 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PARTITIONS;
    }

    /** Deletes {@code __consumer_offsets} as the broker does: its logs go, then the coordinator is told. */
    void deleteOffsetsTopic() throws IOException {
        for (int p = 0; p < PARTITIONS; p++) {
            replicaManager.deletePartition(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, p));
        }
        coordinator.onTopicDeleted(GroupCoordinator.OFFSETS_TOPIC);
    }

    /**
     * Stops the coordinator and the logs cleanly and opens them again; the new coordinator has
     * not replayed anything until {@link #load()}.
     */
    void restart() throws Exception {
        closeAll();
        open(true);
    }

    /** Runs the background replay of every offsets partition. */
    void load() {
        scheduler.run("offsets-load");
    }

    /** Moves the clock and runs the deadlines that fell due. */
    void advance(long ms) throws InterruptedException {
        time.sleep(ms);
        while (timer.advanceClock(0)) {
            // Expired buckets may hold tasks that re-arm; keep going until nothing is due.
        }
    }

    // ------------------------------------------------------------ request helpers

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<JoinProtocol> protocols(String... namesAndMetadata) {
        JoinProtocol[] list = new JoinProtocol[namesAndMetadata.length];
        for (int i = 0; i < namesAndMetadata.length; i++) {
            list[i] = new JoinProtocol(namesAndMetadata[i], bytes("meta-" + namesAndMetadata[i]));
        }
        return List.of(list);
    }

    /** A JoinGroup request of version 5 with Kafka's usual timeouts shortened. */
    static JoinGroupRequest join(String group, String memberId, String instanceId, int sessionMs, int rebalanceMs,
            List<JoinProtocol> protocols) {
        return new JoinGroupRequest(group, memberId, instanceId, "client", "/127.0.0.1", rebalanceMs, sessionMs,
                PROTOCOL_TYPE, protocols, true);
    }

    /** Sends a join and returns the holder its answer lands in (empty while parked). */
    AtomicReference<JoinGroupResult> join(JoinGroupRequest req) {
        AtomicReference<JoinGroupResult> ref = new AtomicReference<>();
        coordinator.joinGroup(req, result -> {
            if (!ref.compareAndSet(null, result)) {
                throw new AssertionError("a join answered twice");
            }
        });
        return ref;
    }

    AtomicReference<SyncGroupResult> sync(String group, int generation, String memberId, String instanceId,
            Map<String, byte[]> assignments) {
        AtomicReference<SyncGroupResult> ref = new AtomicReference<>();
        coordinator.syncGroup(group, generation, memberId, instanceId, assignments, result -> {
            if (!ref.compareAndSet(null, result)) {
                throw new AssertionError("a sync answered twice");
            }
        });
        return ref;
    }

    Map<TopicPartition, Errors> commit(String group, String memberId, int generation,
            Map<TopicPartition, PartitionOffset> offsets) {
        AtomicReference<Map<TopicPartition, Errors>> ref = new AtomicReference<>();
        coordinator.commitOffsets(group, memberId, null, generation, offsets, ref::set);
        if (ref.get() == null) {
            throw new AssertionError("a commit was not answered on one node");
        }
        return ref.get();
    }

    private void closeAll() throws Exception {
        coordinator.shutdown();
        replicaManager.close();
        logManager.shutdown();
    }

    @Override
    public void close() throws Exception {
        closeAll();
    }
}
