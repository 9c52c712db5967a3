package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.state.PartitionState;
import io.fjord.cluster.state.TopicAssignment;
import io.fjord.common.errors.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.fjord.cluster.controller.ControllerHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reassignment's two phases, cancellation, validation and a failover in the middle. */
class ReassignmentsTest {

    private static final TopicPartition T0 = new TopicPartition("t", 0);

    private ControllerHarness h;
    private RecordingChannel channel;
    private final long[] epochs = new long[5];

    @BeforeEach
    void start() throws Exception {
        h = new ControllerHarness();
        for (int b = 1; b <= 4; b++) {
            epochs[b] = h.registerBroker(b, null);
        }
        channel = new RecordingChannel();
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private ClusterController controllerOn(int broker) throws InterruptedException {
        ClusterController c = h.controller(broker, channel);
        await("controller " + broker, c::isActive);
        return c;
    }

    private void catchUp(ClusterController c, List<Integer> isr) {
        PartitionState s = h.state(T0);
        assertEquals(Errors.NONE, c.alterPartition(s.leader(), epochs[s.leader()], Map.of(T0,
                new AlterPartitionResult.Proposal(s.leaderEpoch(), s.partitionEpoch(), isr, false))).join().get(T0).error());
    }

    @Test
    void phaseAAddsTheTargetsAndPhaseBDropsTheOldReplicasOnceTheyCaughtUp() throws Exception {
        ClusterController c = controllerOn(4);
        h.createTopic("t", List.of(List.of(1, 2)));
        await("t", () -> h.state(T0) != null);
        int epochBefore = h.state(T0).leaderEpoch();

        assertEquals(Map.of(T0, ErrorAndMessage.NONE), c.alterReassignments(Map.of(T0, Optional.of(List.of(2, 3)))).join());
        TopicAssignment during = h.assignment("t");
        assertEquals(List.of(2, 3, 1), during.replicas().get(0));
        assertEquals(List.of(3), during.adding().get(0));
        assertEquals(List.of(1), during.removing().get(0));
        assertEquals(epochBefore + 1, h.state(T0).leaderEpoch());
        assertTrue(channel.lastLeadership(3, T0) != null, "the new replica is told to follow");
        assertEquals(Map.of(T0, new OngoingReassignment(List.of(2, 3, 1), List.of(3), List.of(1))),
                c.listReassignments(null).join());

        catchUp(c, List.of(1, 2, 3));
        TopicAssignment after = h.assignment("t");
        assertEquals(List.of(2, 3), after.replicas().get(0));
        assertTrue(after.adding().isEmpty() && after.removing().isEmpty());
        PartitionState s = h.state(T0);
        assertEquals(2, s.leader(), "leadership moved into the target replicas");
        assertEquals(List.of(2, 3), s.isr());
        assertTrue(channel.stopped(1, T0, true), "the removed replica is stopped and deleted");
        assertEquals(Map.of(), c.listReassignments(null).join());
    }

    @Test
    void aCancelledReassignmentReturnsToTheOriginalReplicas() throws Exception {
        ClusterController c = controllerOn(4);
        h.createTopic("t", List.of(List.of(1, 2)));
        await("t", () -> h.state(T0) != null);
        c.alterReassignments(Map.of(T0, Optional.of(List.of(3, 1)))).join();
        assertEquals(List.of(3, 1, 2), h.assignment("t").replicas().get(0));
        assertEquals(Map.of(T0, ErrorAndMessage.NONE), c.alterReassignments(Map.of(T0, Optional.empty())).join());
        assertEquals(List.of(1, 2), h.assignment("t").replicas().get(0));
        assertTrue(channel.stopped(3, T0, true));
        assertEquals(Errors.NO_REASSIGNMENT_IN_PROGRESS,
                c.alterReassignments(Map.of(T0, Optional.empty())).join().get(T0).error());
    }

    @Test
    void invalidTargetsAreRefused() throws Exception {
        ClusterController c = controllerOn(4);
        h.createTopic("t", List.of(List.of(1, 2)));
        await("t", () -> h.state(T0) != null);
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT,
                c.alterReassignments(Map.of(T0, Optional.of(List.of(2, 2)))).join().get(T0).error());
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT,
                c.alterReassignments(Map.of(T0, Optional.of(List.of(1, 9)))).join().get(T0).error());
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT,
                c.alterReassignments(Map.of(T0, Optional.of(List.of()))).join().get(T0).error());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                c.alterReassignments(Map.of(new TopicPartition("t", 5), Optional.of(List.of(1)))).join()
                        .get(new TopicPartition("t", 5)).error());
        assertEquals(List.of(1, 2), h.assignment("t").replicas().get(0), "nothing changed");
    }

    @Test
    void aNewControllerFinishesAReassignmentTheOldOneStarted() throws Exception {
        ClusterController first = controllerOn(4);
        h.createTopic("t", List.of(List.of(1, 2)));
        await("t", () -> h.state(T0) != null);
        first.alterReassignments(Map.of(T0, Optional.of(List.of(3, 2)))).join();
        first.close();
        h.killBroker(4);
        ClusterController second = controllerOn(3);
        assertEquals(Map.of(T0, new OngoingReassignment(List.of(3, 2, 1), List.of(3), List.of(1))),
                second.listReassignments(null).join(), "the phase is read back from the store");
        catchUp(second, List.of(1, 2, 3));
        assertEquals(List.of(3, 2), h.assignment("t").replicas().get(0));
        assertEquals(3, h.state(T0).leader());
    }
}
