package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.state.PartitionState;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

import static io.fjord.cluster.controller.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AlterPartition, ControlledShutdown and ElectLeaders against a controller on a real ZooKeeper. */
class PartitionRequestsTest {

    private static final TopicPartition T0 = new TopicPartition("t", 0);

    private ControllerHarness h;
    private ClusterController controller;
    private RecordingChannel channel;
    private final long[] epochs = new long[5];

    @BeforeEach
    void start() throws Exception {
        h = new ControllerHarness();
        for (int b = 1; b <= 4; b++) {
            epochs[b] = h.registerBroker(b, null);
        }
        channel = new RecordingChannel();
        // The controller runs on broker 4, which holds no replica, so the tests can kill the others.
        controller = h.controller(4, channel);
        await("controller", controller::isActive);
        h.createTopic("t", List.of(List.of(1, 2, 3)));
        await("state", () -> h.state(T0) != null);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private AlterPartitionResult alter(int broker, long epoch, int leaderEpoch, int partitionEpoch, List<Integer> isr) {
        return controller.alterPartition(broker, epoch, Map.of(T0,
                new AlterPartitionResult.Proposal(leaderEpoch, partitionEpoch, isr, false))).join().get(T0);
    }

    @Test
    void aLeaderShrinksAndExpandsTheIsrAndGetsTheNewPartitionEpoch() {
        PartitionState s = h.state(T0);
        AlterPartitionResult shrunk = alter(1, epochs[1], s.leaderEpoch(), s.partitionEpoch(), List.of(1, 2));
        assertEquals(Errors.NONE, shrunk.error());
        assertEquals(List.of(1, 2), shrunk.state().isr());
        assertEquals(s.partitionEpoch() + 1, shrunk.state().partitionEpoch());
        assertEquals(s.leaderEpoch(), shrunk.state().leaderEpoch(), "an ISR change asked by the leader keeps its epoch");
        assertEquals(List.of(1, 2), h.state(T0).isr());

        AlterPartitionResult same = alter(1, epochs[1], s.leaderEpoch(), shrunk.state().partitionEpoch(), List.of(1, 2));
        assertEquals(Errors.NONE, same.error());
        assertEquals(shrunk.state().partitionEpoch(), same.state().partitionEpoch(), "a repeated change writes nothing");
    }

    @Test
    void aMemberThatFetchedAsAnEarlierRegistrationMayNotJoin() {
        PartitionState s = h.state(T0);
        AlterPartitionResult shrunk = alter(1, epochs[1], s.leaderEpoch(), s.partitionEpoch(), List.of(1, 2));
        AlterPartitionResult stale = controller.alterPartition(1, epochs[1], Map.of(T0, new AlterPartitionResult.Proposal(
                s.leaderEpoch(), shrunk.state().partitionEpoch(), List.of(1, 2, 3), false,
                Map.of(2, epochs[2], 3, epochs[3] - 1)))).join().get(T0);
        assertEquals(Errors.INELIGIBLE_REPLICA, stale.error());
        AlterPartitionResult current = controller.alterPartition(1, epochs[1], Map.of(T0, new AlterPartitionResult.Proposal(
                s.leaderEpoch(), shrunk.state().partitionEpoch(), List.of(1, 2, 3), false,
                Map.of(2, epochs[2], 3, epochs[3])))).join().get(T0);
        assertEquals(Errors.NONE, current.error());
        assertEquals(List.of(1, 2, 3), current.state().isr());
    }

    @Test
    void staleOrWrongRequestsAreRejectedWithKafkasErrors() throws Exception {
        PartitionState s = h.state(T0);
        CompletionException stale = assertThrows(CompletionException.class, () -> alter(1, epochs[1] - 1,
                s.leaderEpoch(), s.partitionEpoch(), List.of(1)));
        assertEquals(Errors.STALE_BROKER_EPOCH, ((ApiException) stale.getCause()).error());
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER, alter(2, epochs[2], s.leaderEpoch(), s.partitionEpoch(),
                List.of(2)).error());
        assertEquals(Errors.NOT_CONTROLLER, alter(1, epochs[1], s.leaderEpoch() + 1, s.partitionEpoch(),
                List.of(1)).error());

        // A leader change bumps the epoch; the old leader's view is then fenced.
        controller.electLeaders(ElectionType.PREFERRED, Set.of(T0)).join();
        AlterPartitionResult moved = alter(1, epochs[1], s.leaderEpoch(), s.partitionEpoch(), List.of(1, 2));
        assertEquals(Errors.NONE, moved.error(), "still the same leader and epochs: nothing to elect");

        AlterPartitionResult ok = alter(1, epochs[1], s.leaderEpoch(), moved.state().partitionEpoch(), List.of(1, 2, 3));
        assertEquals(Errors.NONE, ok.error());
        assertEquals(Errors.INVALID_UPDATE_VERSION, alter(1, epochs[1], s.leaderEpoch(), s.partitionEpoch(),
                List.of(1)).error());
        h.killBroker(3);
        await("ISR without 3", () -> !h.state(T0).isr().contains(3));
        PartitionState now = h.state(T0);
        assertEquals(Errors.FENCED_LEADER_EPOCH, alter(1, epochs[1], now.leaderEpoch() - 1, now.partitionEpoch(),
                List.of(1)).error());
        assertEquals(Errors.INELIGIBLE_REPLICA, alter(1, epochs[1], now.leaderEpoch(), now.partitionEpoch(),
                List.of(1, 2, 3)).error());
        CompletionException unknown = assertThrows(CompletionException.class, () -> controller.alterPartition(9, 1,
                Map.of()).join());
        assertEquals(Errors.BROKER_NOT_AVAILABLE, ((ApiException) unknown.getCause()).error());
    }

    @Test
    void controlledShutdownMovesLeadershipAndRemovesTheBrokerFromTheIsr() throws Exception {
        h.createTopic("u", List.of(List.of(2, 1), List.of(3, 2), List.of(2)));
        await("u", () -> h.state("u", 2) != null);
        Set<TopicPartition> remaining = controller.controlledShutdown(2, epochs[2]).join();
        assertEquals(Set.of(), remaining, "the partition with one replica does not count, as in Kafka");
        assertEquals(1, h.state("u", 0).leader());
        assertEquals(List.of(1), h.state("u", 0).isr());
        assertEquals(List.of(3), h.state("u", 1).isr());
        assertEquals(2, h.state("u", 2).leader(), "nobody else can lead it");
        assertTrue(channel.stopped(2, new TopicPartition("u", 1), false), "the follower replica is stopped");

        CompletionException stale = assertThrows(CompletionException.class,
                () -> controller.controlledShutdown(3, epochs[3] + 1).join());
        assertEquals(Errors.STALE_BROKER_EPOCH, ((ApiException) stale.getCause()).error());
    }

    @Test
    void controlledShutdownReportsPartitionsWithNowhereToGo() {
        PartitionState s = h.state(T0);
        alter(1, epochs[1], s.leaderEpoch(), s.partitionEpoch(), List.of(1));
        assertEquals(Set.of(T0), controller.controlledShutdown(1, epochs[1]).join());
        assertEquals(1, h.state(T0).leader());
    }

    @Test
    void preferredElectionMovesLeadershipBackOnlyWhenThePreferredReplicaIsInSync() throws Exception {
        h.killBroker(1);
        await("2 leads", () -> h.state(T0).leader() == 2);
        assertEquals(Map.of(T0, Errors.PREFERRED_LEADER_NOT_AVAILABLE),
                controller.electLeaders(ElectionType.PREFERRED, Set.of(T0)).join());
        h.registerBroker(1, null);
        await("1 back", () -> h.state(T0).leader() == 2);
        PartitionState s = h.state(T0);
        controller.alterPartition(2, epochs[2], Map.of(T0, new AlterPartitionResult.Proposal(s.leaderEpoch(),
                s.partitionEpoch(), List.of(2, 3, 1), false))).join();
        assertEquals(Map.of(T0, Errors.NONE), controller.electLeaders(ElectionType.PREFERRED, Set.of(T0)).join());
        assertEquals(1, h.state(T0).leader());
        assertEquals(Map.of(T0, Errors.ELECTION_NOT_NEEDED),
                controller.electLeaders(ElectionType.PREFERRED, Set.of(T0)).join());
        assertEquals(Map.of(), controller.electLeaders(ElectionType.PREFERRED, null).join(),
                "asked for every partition, those that need nothing are left out");
        assertEquals(Map.of(new TopicPartition("nope", 0), Errors.UNKNOWN_TOPIC_OR_PARTITION),
                controller.electLeaders(ElectionType.PREFERRED, Set.of(new TopicPartition("nope", 0))).join());
    }

    @Test
    void uncleanElectionTakesAReplicaOutsideTheIsrOnlyWhenAskedOrAllowed() throws Exception {
        h.createTopic("v", List.of(List.of(2, 3)));
        await("v", () -> h.state("v", 0) != null);
        TopicPartition v0 = new TopicPartition("v", 0);
        PartitionState s = h.state(v0);
        controller.alterPartition(2, epochs[2], Map.of(v0, new AlterPartitionResult.Proposal(s.leaderEpoch(),
                s.partitionEpoch(), List.of(2), false))).join();
        h.killBroker(2);
        await("v offline", () -> h.state(v0).leader() == PartitionState.NO_LEADER);
        assertEquals(Map.of(v0, Errors.NONE), controller.electLeaders(ElectionType.UNCLEAN, Set.of(v0)).join());
        assertEquals(3, h.state(v0).leader());
        assertEquals(List.of(3), h.state(v0).isr());
        assertTrue(h.state(v0).recovering(), "an unclean leader starts recovering (KIP-704)");
        assertEquals(Map.of(v0, Errors.ELECTION_NOT_NEEDED), controller.electLeaders(ElectionType.UNCLEAN, Set.of(v0)).join());
    }

    @Test
    void aTopicAllowingUncleanElectionGetsALeaderWhenItsIsrDies() throws Exception {
        h.createTopic("w", List.of(List.of(2, 3)));
        await("w", () -> h.state("w", 0) != null);
        TopicPartition w0 = new TopicPartition("w", 0);
        PartitionState s = h.state(w0);
        controller.alterPartition(2, epochs[2], Map.of(w0, new AlterPartitionResult.Proposal(s.leaderEpoch(),
                s.partitionEpoch(), List.of(2), false))).join();
        h.setTopicConfig("w", Map.of("unclean.leader.election.enable", "true"));
        h.killBroker(2);
        await("3 leads w uncleanly", () -> h.state(w0).leader() == 3);
        assertEquals(List.of(3), h.state(w0).isr());
    }
}
