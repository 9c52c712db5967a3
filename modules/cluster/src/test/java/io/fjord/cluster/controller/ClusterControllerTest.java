package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.ControllerRequest;
import io.fjord.cluster.PartitionLeadership;
import io.fjord.cluster.state.PartitionState;
import io.fjord.cluster.state.TopicAssignment;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.Op;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.fjord.cluster.controller.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controller against a real ZooKeeper: election, failover, membership and topics. */
class ClusterControllerTest {

    private ControllerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ControllerHarness();
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void exactlyOneControllerIsElectedAndAnotherTakesOverWhenItDies() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        ClusterController c1 = h.controller(1, new RecordingChannel());
        ClusterController c2 = h.controller(2, new RecordingChannel());
        await("a controller", () -> c1.isActive() || c2.isActive());
        Thread.sleep(200);
        assertTrue(c1.isActive() ^ c2.isActive(), "exactly one controller is active");
        ClusterController winner = c1.isActive() ? c1 : c2;
        ClusterController other = winner == c1 ? c2 : c1;
        int firstEpoch = winner.activeEpoch();

        h.killBroker(winner == c1 ? 1 : 2);
        await("the other broker taking over", other::isActive);
        assertEquals(firstEpoch + 1, other.activeEpoch());
    }

    @Test
    void aDeposedControllerCannotWriteAndAnswersNotController() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        ClusterController c1 = h.controller(1, new RecordingChannel());
        await("broker 1 controlling", c1::isActive);
        h.createTopic("t", List.of(List.of(1, 2)));
        await("t created", () -> h.state("t", 0) != null);

        // Broker 1's session expires: its election is gone, broker 2 wins the next one.
        h.zk.expireSessionOwning(ClusterPaths.broker(1));
        ClusterController c2 = h.controller(2, new RecordingChannel());
        await("broker 2 controlling", c2::isActive);
        int before = h.state("t", 0).partitionEpoch();

        // A change that must be written: the old controller's lease no longer fences anything in.
        var answer = c1.alterReassignments(java.util.Map.of(new TopicPartition("t", 0),
                java.util.Optional.of(List.of(2, 1))));
        Throwable failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, answer::join);
        assertTrue(failure.getCause() instanceof ClusterController.NotControllerException, failure.toString());
        assertEquals(before, h.state("t", 0).partitionEpoch(), "the deposed controller changed nothing");
        assertEquals(List.of(1, 2), h.assignment("t").replicas().get(0));
        assertFalse(c1.isActive());
    }

    @Test
    void newTopicsGetTheirFirstLiveReplicaAsLeaderAndEveryReplicaIsTold() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        h.registerBroker(3, null);
        RecordingChannel channel = new RecordingChannel();
        ClusterController c = h.controller(1, channel);
        await("controller", c::isActive);
        h.createTopic("orders", List.of(List.of(2, 3), List.of(3, 1), List.of(1, 2)));
        await("states", () -> h.state("orders", 2) != null);

        assertEquals(2, h.state("orders", 0).leader());
        assertEquals(List.of(2, 3), h.state("orders", 0).isr());
        assertEquals(3, h.state("orders", 1).leader());
        assertEquals(0, h.state("orders", 0).leaderEpoch());
        TopicPartition p0 = new TopicPartition("orders", 0);
        await("replicas told", () -> channel.lastLeadership(2, p0) != null && channel.lastLeadership(3, p0) != null);
        PartitionLeadership told = channel.lastLeadership(3, p0);
        assertEquals(2, told.state().leader());
        assertTrue(told.isNew());
        assertNull(channel.lastLeadership(1, p0), "broker 1 holds no replica of partition 0");
        await("metadata to every broker", () -> channel.to(1).stream().anyMatch(r -> r instanceof ControllerRequest.UpdateMetadata u
                && u.partitions().stream().anyMatch(p -> p.topic().equals("orders"))));
    }

    @Test
    void aFailedLeaderIsReplacedFromTheIsrAndAPartitionWithoutLiveReplicasGoesOffline() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        h.registerBroker(3, null);
        RecordingChannel channel = new RecordingChannel();
        ClusterController c = h.controller(1, channel);
        await("controller", c::isActive);
        h.createTopic("t", List.of(List.of(2, 3), List.of(3)));
        await("states", () -> h.state("t", 1) != null);

        h.killBroker(3);
        await("partition 0 led by 2", () -> h.state("t", 0).leader() == 2);
        await("partition 1 offline", () -> h.state("t", 1).leader() == PartitionState.NO_LEADER);
        assertEquals(2, h.state("t", 0).leader(), "a follower failing is not the leader failing");
        assertEquals(List.of(2), h.state("t", 0).isr(), "the failed follower left the ISR");

        h.killBroker(2);
        await("partition 0 offline", () -> h.state("t", 0).leader() == PartitionState.NO_LEADER);
        assertEquals(List.of(2), h.state("t", 0).isr(), "the last ISR member is kept so it can lead again");
        int epoch = h.state("t", 0).leaderEpoch();

        h.registerBroker(2, null);
        await("broker 2 leads partition 0 again", () -> h.state("t", 0).leader() == 2);
        assertTrue(h.state("t", 0).leaderEpoch() > epoch);
        await("broker 2 is told", () -> {
            PartitionLeadership p = channel.lastLeadership(2, new TopicPartition("t", 0));
            return p != null && p.state().leader() == 2 && p.state().leaderEpoch() > epoch;
        });
        assertEquals(PartitionState.NO_LEADER, h.state("t", 1).leader(), "broker 3 is still down");
    }

    @Test
    void aFollowerThatFailsLeavesTheIsrWithABumpedLeaderEpoch() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        ClusterController c = h.controller(1, new RecordingChannel());
        await("controller", c::isActive);
        h.createTopic("t", List.of(List.of(1, 2)));
        await("state", () -> h.state("t", 0) != null);
        h.killBroker(2);
        await("ISR shrunk", () -> h.state("t", 0).isr().equals(List.of(1)));
        assertEquals(1, h.state("t", 0).leader());
        assertEquals(1, h.state("t", 0).leaderEpoch());
    }

    @Test
    void aNewControllerLoadsTheStateAndTellsEveryBrokerEverything() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        ClusterController c1 = h.controller(1, new RecordingChannel());
        await("controller 1", c1::isActive);
        h.createTopic("t", List.of(List.of(1, 2), List.of(2, 1)));
        await("states", () -> h.state("t", 1) != null);

        RecordingChannel channel2 = new RecordingChannel();
        ClusterController c2 = h.controller(2, channel2);
        h.killBroker(1);
        await("controller 2", c2::isActive);
        await("partition 0 moved to 2", () -> h.state("t", 0).leader() == 2);
        await("a full LeaderAndIsr to broker 2", () -> channel2.to(2).stream().anyMatch(r ->
                r instanceof ControllerRequest.LeaderAndIsr l && l.full() && l.partitions().size() == 2));
        assertTrue(channel2.to(2).stream().anyMatch(r -> r instanceof ControllerRequest.UpdateMetadata u && u.full()));
    }

    @Test
    void aFollowerThatDiedWithTheControllerLeavesTheIsrAtFailover() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        h.registerBroker(3, null);
        ClusterController c1 = h.controller(1, new RecordingChannel());
        await("controller 1", c1::isActive);
        h.createTopic("t", List.of(List.of(2, 1, 3)));
        await("state", () -> h.state("t", 0) != null);
        ClusterController c3 = h.controller(3, new RecordingChannel());
        c1.close();
        h.killBroker(1);
        await("controller 3", c3::isActive);
        await("1 out of the ISR", () -> h.state("t", 0).isr().equals(List.of(2, 3)));
        assertEquals(2, h.state("t", 0).leader());
    }

    @Test
    void partitionsAddedToATopicAreCreated() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        ClusterController c = h.controller(1, new RecordingChannel());
        await("controller", c::isActive);
        var id = h.createTopic("t", List.of(List.of(1)));
        await("state", () -> h.state("t", 0) != null);
        h.admin.write(List.of(new Op.SetData(ClusterPaths.topic("t"),
                TopicAssignment.of(id, List.of(List.of(1), List.of(2), List.of(1, 2))).toJson(), Op.ANY_VERSION)));
        await("new partitions", () -> h.state("t", 2) != null);
        assertEquals(2, h.state("t", 1).leader());
        assertEquals(List.of(1, 2), h.state("t", 2).isr());
    }

    @Test
    void topicDeletionStopsAndDeletesEveryReplicaAndRemovesTheTopic() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        RecordingChannel channel = new RecordingChannel();
        ClusterController c = h.controller(1, channel);
        await("controller", c::isActive);
        h.createTopic("gone", List.of(List.of(1, 2)));
        await("state", () -> h.state("gone", 0) != null);
        h.admin.write(List.of(new Op.Create(ClusterPaths.deleteTopic("gone"), new byte[0])));
        await("deleted", () -> h.admin.read(ClusterPaths.topic("gone")).isEmpty());
        assertTrue(h.admin.read(ClusterPaths.deleteTopic("gone")).isEmpty());
        assertTrue(h.admin.read(ClusterPaths.topicConfig("gone")).isEmpty());
        TopicPartition tp = new TopicPartition("gone", 0);
        // The controller removes the topic's entries, then sends the StopReplica requests.
        await("replicas stopped and deleted", () -> channel.stopped(1, tp, true) && channel.stopped(2, tp, true));
        await("metadata says deleted", () -> channel.to(2).stream().anyMatch(r -> r instanceof ControllerRequest.UpdateMetadata u
                && u.partitions().stream().anyMatch(p -> p.topic().equals("gone") && p.deleted())));
    }

    @Test
    void aDeletionRequestedWhileNoControllerRunsIsCompletedByTheNextOne() throws Exception {
        h.registerBroker(1, null);
        h.registerBroker(2, null);
        ClusterController c1 = h.controller(1, new RecordingChannel());
        await("controller 1", c1::isActive);
        h.createTopic("gone", List.of(List.of(1, 2)));
        await("state", () -> h.state("gone", 0) != null);
        c1.close();
        h.killBroker(1);
        h.admin.write(List.of(new Op.Create(ClusterPaths.deleteTopic("gone"), new byte[0])));
        Thread.sleep(200);
        assertFalse(h.admin.read(ClusterPaths.topic("gone")).isEmpty(), "no controller, no deletion yet");

        ClusterController c2 = h.controller(2, new RecordingChannel());
        await("controller 2", c2::isActive);
        await("deleted by the new controller", () -> h.admin.read(ClusterPaths.topic("gone")).isEmpty());
    }

    @Test
    void brokerEpochsGrowWithEveryRegistration() throws Exception {
        long first = h.registerBroker(1, null);
        h.killBroker(1);
        long second = h.registerBroker(1, null);
        assertTrue(second > first);
        h.registerBroker(2, null);
        RecordingChannel channel = new RecordingChannel();
        ClusterController c = h.controller(2, channel);
        await("controller", c::isActive);
        await("broker 1 told its current epoch", () -> channel.to(1).stream()
                .anyMatch(r -> r.brokerEpoch() == second));
    }
}
