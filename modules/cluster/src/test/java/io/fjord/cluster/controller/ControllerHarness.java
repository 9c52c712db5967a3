package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.state.BrokerRegistration;
import io.fjord.cluster.state.ConfigOverrides;
import io.fjord.cluster.state.PartitionState;
import io.fjord.cluster.state.TopicAssignment;
import io.fjord.controller.ClusterIds;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.plugin.zookeeper.testing.ZooKeeperFixture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A ZooKeeper server in the test JVM, brokers registered through sessions of their own, and
 * controllers on those sessions: everything real but the brokers' network, whose requests are
 * recorded instead.
 */
final class ControllerHarness implements AutoCloseable {

    final ZooKeeperFixture zk;
    final CoordinationSession admin;
    private final Map<Integer, CoordinationSession> sessions = new HashMap<>();
    private final List<ClusterController> controllers = new ArrayList<>();

    ControllerHarness() throws Exception {
        zk = ZooKeeperFixture.start();
        admin = zk.openSession(ZooKeeperFixture.ignoringListener());
    }

    /** Registers broker {@code id} with a session of its own; returns its broker epoch. */
    long registerBroker(int id, String rack) {
        CoordinationSession s = sessions.computeIfAbsent(id, x -> zk.openSession(ZooKeeperFixture.ignoringListener()));
        return s.registerBroker(id, new BrokerRegistration(id, 0, "127.0.0.1", 9000 + id, rack).toJson(0));
    }

    /** Ends broker {@code id}'s session: its registration goes, as at a crash. */
    void killBroker(int id) {
        CoordinationSession s = sessions.remove(id);
        if (s != null) {
            s.close();
        }
    }

    CoordinationSession session(int id) {
        return sessions.get(id);
    }

    /** A controller candidate on broker {@code id}'s session, started. */
    ClusterController controller(int id, RecordingChannel channel) {
        return controller(id, channel, false);
    }

    ClusterController controller(int id, RecordingChannel channel, boolean unclean) {
        ClusterController c = new ClusterController(id, sessions.get(id), channel,
                new ControllerSettings(unclean, new Random(42)));
        controllers.add(c);
        c.startup();
        return c;
    }

    /** Writes a topic's assignment as a broker's CreateTopics does; the controller picks it up. */
    UUID createTopic(String name, List<List<Integer>> replicas) {
        UUID id = ClusterIds.randomId();
        admin.write(List.of(new Op.Create(ClusterPaths.topic(name), TopicAssignment.of(id, replicas).toJson()),
                new Op.Create(ClusterPaths.topicConfig(name), ConfigOverrides.toJson(Map.of()))));
        return id;
    }

    void setTopicConfig(String name, Map<String, String> configs) {
        admin.write(List.of(new Op.SetData(ClusterPaths.topicConfig(name), ConfigOverrides.toJson(configs), Op.ANY_VERSION)));
    }

    /** The partition's state in the store, or null. */
    PartitionState state(String topic, int partition) {
        String path = ClusterPaths.partitionState(topic, partition);
        return admin.read(path).map(v -> PartitionState.fromJson(v.data(), v.version(), path)).orElse(null);
    }

    PartitionState state(TopicPartition tp) {
        return state(tp.topic(), tp.partition());
    }

    TopicAssignment assignment(String topic) {
        String path = ClusterPaths.topic(topic);
        return admin.read(path).map(v -> TopicAssignment.fromJson(v.data(), path)).orElse(null);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws Exception {
        controllers.forEach(ClusterController::close);
        sessions.values().forEach(CoordinationSession::close);
        admin.close();
        zk.close();
    }
}
