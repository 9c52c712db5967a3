package io.fjord.cluster;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.state.PartitionState;
import io.fjord.common.errors.Errors;
import io.fjord.controller.ControllerConfig;
import io.fjord.plugin.zookeeper.testing.ZooKeeperFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker's side of the cluster on a real ZooKeeper: what it accepts from a controller, and
 * settings written through one member reaching another.
 */
class ClusterMemberTest {

    private static final UUID TOPIC_ID = new UUID(7, 7);

    /** Keeps what the member asked of its replicas. */
    private static final class RecordingHost implements ReplicaHost {
        final List<PartitionLeadership> applied = new ArrayList<>();
        final List<TopicPartition> stopped = new ArrayList<>();

        @Override
        public synchronized Map<TopicPartition, Errors> applyLeadership(List<PartitionLeadership> partitions) {
            Map<TopicPartition, Errors> out = new LinkedHashMap<>();
            for (PartitionLeadership p : partitions) {
                applied.add(p);
                out.put(new TopicPartition(p.topic(), p.partition()), Errors.NONE);
            }
            return out;
        }

        @Override
        public synchronized void stopReplicas(List<TopicPartition> partitions, boolean delete) {
            stopped.addAll(partitions);
        }
    }

    @TempDir
    Path dir;

    private ZooKeeperFixture zk;
    private final List<ClusterMember> members = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        zk = ZooKeeperFixture.start();
    }

    @AfterEach
    void stop() throws Exception {
        members.forEach(ClusterMember::close);
        zk.close();
    }

    private ClusterMember join(int id, RecordingHost host) throws Exception {
        ControllerConfig config = ControllerConfig.from(Map.of("node.id", Integer.toString(id),
                "log.dirs", dir.resolve("broker-" + id).toString()));
        ClusterMember m = ClusterMember.join(zk.engine(Map.of()), config, host, 5_000, 5_000);
        members.add(m);
        m.register(new ClusterMember.Identity(id, "127.0.0.1", 9000 + id, null));
        return m;
    }

    private static PartitionLeadership leadership(int leader, int leaderEpoch, int controllerEpoch) {
        return new PartitionLeadership("t", TOPIC_ID, 0, new PartitionState(leader, leaderEpoch, List.of(1, 2),
                controllerEpoch, 0, false), List.of(1, 2), List.of(), List.of(), false);
    }

    @Test
    void aStaleControllerAStaleBrokerEpochAndAnOldLeaderEpochAreRefused() throws Exception {
        RecordingHost host = new RecordingHost();
        ClusterMember m = join(1, host);
        long epoch = m.brokerEpoch();

        ClusterMember.LeaderAndIsrResult first = m.leaderAndIsr(new ControllerRequest.LeaderAndIsr(1, 5, epoch, false,
                List.of(leadership(1, 3, 5)), List.of()));
        assertEquals(Errors.NONE, first.error());
        assertEquals(Errors.NONE, first.partitions().get(new TopicPartition("t", 0)));

        assertEquals(Errors.STALE_CONTROLLER_EPOCH, m.leaderAndIsr(new ControllerRequest.LeaderAndIsr(2, 4, epoch, false,
                List.of(leadership(2, 9, 4)), List.of())).error(), "an older controller");
        assertEquals(Errors.STALE_BROKER_EPOCH, m.leaderAndIsr(new ControllerRequest.LeaderAndIsr(1, 5, epoch - 1, false,
                List.of(leadership(2, 9, 5)), List.of())).error(), "meant for an earlier registration of this broker");
        ClusterMember.LeaderAndIsrResult old = m.leaderAndIsr(new ControllerRequest.LeaderAndIsr(1, 5, epoch, false,
                List.of(leadership(2, 3, 5)), List.of()));
        assertEquals(Errors.STALE_CONTROLLER_EPOCH, old.partitions().get(new TopicPartition("t", 0)),
                "a leader epoch this broker already has");
        assertEquals(1, host.applied.size(), "only the first leadership was applied");

        assertEquals(Errors.STALE_CONTROLLER_EPOCH, m.updateMetadata(new ControllerRequest.UpdateMetadata(1, 4, epoch,
                true, List.of(), List.of())));
        assertEquals(Errors.STALE_CONTROLLER_EPOCH, m.stopReplica(new ControllerRequest.StopReplica(1, 4, epoch, true,
                List.of(new TopicPartition("t", 0)), List.of(3))));
        assertTrue(host.stopped.isEmpty());
        assertEquals(Errors.NONE, m.stopReplica(new ControllerRequest.StopReplica(1, 6, epoch, true,
                List.of(new TopicPartition("t", 0)), List.of(3))));
        assertEquals(List.of(new TopicPartition("t", 0)), host.stopped);
    }

    @Test
    void dynamicBrokerSettingsWrittenThroughOneMemberReachAnother() throws Exception {
        ClusterMember a = join(1, new RecordingHost());
        ClusterMember b = join(2, new RecordingHost());
        assertEquals(a.cache().image().clusterId(), b.cache().image().clusterId(), "one cluster id for all members");
        a.store().alterBrokerConfigs(OptionalInt.empty(), Map.of("log.retention.ms", "60000"));
        a.store().alterBrokerConfigs(OptionalInt.of(2), Map.of("num.io.threads", "4"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && (!b.store().image().brokerConfigs().of(OptionalInt.empty())
                .containsKey("log.retention.ms") || !b.store().image().brokerConfigs().of(OptionalInt.of(2))
                .containsKey("num.io.threads"))) {
            Thread.sleep(20);
        }
        assertEquals(Map.of("log.retention.ms", "60000"), b.store().image().brokerConfigs().of(OptionalInt.empty()));
        assertEquals(Map.of("num.io.threads", "4"), b.store().image().brokerConfigs().of(OptionalInt.of(2)));
    }
}
