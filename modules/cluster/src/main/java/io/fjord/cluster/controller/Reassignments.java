package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.PartitionLeadership;
import io.fjord.cluster.state.PartitionState;
import io.fjord.cluster.state.TopicAssignment;
import io.fjord.common.errors.Errors;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.Op;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Partition reassignment as Kafka's controller runs it (KIP-455), on the controller's event thread.
 *
 * <p>Phase A writes the union of the original and target replicas, with the replicas being added
 * and removed, into the topic's assignment, bumps the leader epoch and tells every replica, so the
 * new ones start following. Phase B runs once the ISR holds every target replica: leadership moves
 * into the targets if needed, the removed replicas are stopped and deleted, and the assignment
 * becomes the targets alone, written last. A cancellation returns to the original replicas. Because
 * the assignment in the store records the phase, a new controller resumes where the old one stopped.
 */
final class Reassignments {

    private final ClusterController controller;

    Reassignments(ClusterController controller) {
        this.controller = controller;
    }

    Map<TopicPartition, ErrorAndMessage> alter(Map<TopicPartition, Optional<List<Integer>>> targets) {
        ControllerContext ctx = controller.context();
        Map<TopicPartition, ErrorAndMessage> results = new LinkedHashMap<>();
        RequestBatch batch = new RequestBatch();
        targets.forEach((tp, target) -> {
            TopicAssignment a = ctx.topics.get(tp.topic());
            if (a == null || tp.partition() < 0 || tp.partition() >= a.partitionCount() || ctx.deleting.contains(tp.topic())) {
                results.put(tp, new ErrorAndMessage(Errors.UNKNOWN_TOPIC_OR_PARTITION, null));
            } else if (target.isEmpty()) {
                if (!a.reassigning(tp.partition())) {
                    results.put(tp, new ErrorAndMessage(Errors.NO_REASSIGNMENT_IN_PROGRESS, null));
                } else {
                    moveTo(tp, origin(a, tp.partition()), batch);
                    results.put(tp, ErrorAndMessage.NONE);
                }
            } else {
                ErrorAndMessage invalid = validate(ctx, a, tp.partition(), target.get());
                if (invalid != null) {
                    results.put(tp, invalid);
                } else {
                    moveTo(tp, target.get(), batch);
                    results.put(tp, ErrorAndMessage.NONE);
                }
            }
        });
        controller.flush(batch);
        return results;
    }

    private static ErrorAndMessage validate(ControllerContext ctx, TopicAssignment a, int partition, List<Integer> target) {
        if (target.isEmpty()) {
            return invalid("Empty replica list specified in partition reassignment.");
        }
        if (new HashSet<>(target).size() != target.size()) {
            return invalid("Duplicate replica ids in partition reassignment replica list: " + target);
        }
        if (target.stream().anyMatch(r -> r < 0)) {
            return invalid("Invalid broker id in replica list: " + target);
        }
        List<Integer> adding = new ArrayList<>(target);
        adding.removeAll(origin(a, partition));
        if (!ctx.liveIds().containsAll(adding)) {
            return invalid("Replica assignment has brokers that are not alive. Replica list: " + adding
                    + ", live broker list: " + ctx.liveIds());
        }
        return null;
    }

    private static ErrorAndMessage invalid(String message) {
        return new ErrorAndMessage(Errors.INVALID_REPLICA_ASSIGNMENT, message);
    }

    Map<TopicPartition, OngoingReassignment> list(Set<TopicPartition> partitions) {
        ControllerContext ctx = controller.context();
        Map<TopicPartition, OngoingReassignment> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions == null ? ctx.allPartitions() : partitions) {
            TopicAssignment a = ctx.topics.get(tp.topic());
            if (a != null && tp.partition() >= 0 && tp.partition() < a.partitionCount() && a.reassigning(tp.partition())) {
                out.put(tp, new OngoingReassignment(a.replicas().get(tp.partition()),
                        a.adding().getOrDefault(tp.partition(), List.of()),
                        a.removing().getOrDefault(tp.partition(), List.of())));
            }
        }
        return out;
    }

    /** After a failover: finishes every reassignment whose targets caught up while no controller watched. */
    void resume() {
        RequestBatch batch = new RequestBatch();
        onIsrChange(controller.context().allPartitions(), batch);
        controller.flush(batch);
    }

    /** An ISR grew: completes the reassignments it completes. */
    void onIsrChange(Collection<TopicPartition> partitions, RequestBatch batch) {
        ControllerContext ctx = controller.context();
        for (TopicPartition tp : partitions) {
            TopicAssignment a = ctx.topics.get(tp.topic());
            if (a != null && a.reassigning(tp.partition())) {
                maybeComplete(tp, batch);
            }
        }
    }

    private static List<Integer> origin(TopicAssignment a, int partition) {
        List<Integer> origin = new ArrayList<>(a.replicas().get(partition));
        origin.removeAll(a.adding().getOrDefault(partition, List.of()));
        return origin;
    }

    /** Phase A towards {@code target} (or straight back, for a target equal to the original replicas). */
    private void moveTo(TopicPartition tp, List<Integer> target, RequestBatch batch) {
        ControllerContext ctx = controller.context();
        TopicAssignment a = ctx.topics.get(tp.topic());
        List<Integer> origin = origin(a, tp.partition());
        List<Integer> union = new ArrayList<>(target);
        origin.stream().filter(r -> !union.contains(r)).forEach(union::add);
        List<Integer> adding = target.stream().filter(r -> !origin.contains(r)).toList();
        List<Integer> removing = origin.stream().filter(r -> !target.contains(r)).toList();
        List<Integer> dropped = a.replicas().get(tp.partition()).stream().filter(r -> !union.contains(r)).toList();
        PartitionState s = ctx.states.get(tp);
        if (adding.isEmpty() && removing.isEmpty()) {
            // Back to the original replicas: a cancellation, or a target equal to what is there.
            writeAssignment(tp, origin, List.of(), List.of());
            PartitionState back = s == null ? null : leaderWithin(tp, s, origin);
            if (back != null) {
                Map<TopicPartition, PartitionState> change = new HashMap<>();
                change.put(tp, back);
                controller.writeAndTell(change, batch);
            }
            stopAndDelete(tp, dropped, s, batch);
            return;
        }
        writeAssignment(tp, union, adding, removing);
        if (s != null) {
            Map<TopicPartition, PartitionState> change = new HashMap<>();
            change.put(tp, s.withLeader(s.leader(), s.isr(), controller.lease().epoch()));
            controller.writeAndTell(change, batch);
        }
        stopAndDelete(tp, dropped, s, batch);
        maybeComplete(tp, batch);
    }

    /** Phase B, if every target replica is in the ISR. */
    private void maybeComplete(TopicPartition tp, RequestBatch batch) {
        ControllerContext ctx = controller.context();
        TopicAssignment a = ctx.topics.get(tp.topic());
        PartitionState s = ctx.states.get(tp);
        List<Integer> target = a.targetReplicas(tp.partition());
        if (s == null || !s.isr().containsAll(target)) {
            return;
        }
        PartitionState next = leaderWithin(tp, s, target);
        if (next == null) {
            return;
        }
        List<Integer> removed = a.replicas().get(tp.partition()).stream().filter(r -> !target.contains(r)).toList();
        Map<TopicPartition, PartitionState> change = new HashMap<>();
        change.put(tp, next);
        controller.writeAndTell(change, batch);
        writeAssignment(tp, target, List.of(), List.of());
        PartitionLeadership p = ctx.leadership(tp, false);
        batch.leaderAndIsr(target, p);
        stopAndDelete(tp, removed, next, batch);
    }

    /** The state with the leader and ISR kept within {@code replicas}, electing a leader there if needed; null if none can lead. */
    private PartitionState leaderWithin(TopicPartition tp, PartitionState s, List<Integer> replicas) {
        ControllerContext ctx = controller.context();
        List<Integer> isr = s.isr().stream().filter(replicas::contains).toList();
        int leader = s.leader();
        if (!replicas.contains(leader) || !ctx.eligible(leader)) {
            Set<Integer> eligible = new HashSet<>(ctx.liveIds());
            eligible.removeAll(ctx.shuttingDown);
            OptionalInt elected = LeaderElection.reassignment(replicas, isr, eligible);
            if (elected.isEmpty()) {
                return null;
            }
            leader = elected.getAsInt();
        }
        return s.withLeader(leader, isr.isEmpty() ? List.of(leader) : isr, controller.lease().epoch());
    }

    private void stopAndDelete(TopicPartition tp, List<Integer> replicas, PartitionState s, RequestBatch batch) {
        for (int r : replicas) {
            batch.stopReplica(r, tp, s == null ? 0 : s.leaderEpoch(), true);
        }
    }

    private void writeAssignment(TopicPartition tp, List<Integer> replicas, List<Integer> adding, List<Integer> removing) {
        ControllerContext ctx = controller.context();
        TopicAssignment a = ctx.topics.get(tp.topic());
        List<List<Integer>> all = new ArrayList<>(a.replicas());
        all.set(tp.partition(), replicas);
        Map<Integer, List<Integer>> add = new HashMap<>(a.adding());
        Map<Integer, List<Integer>> remove = new HashMap<>(a.removing());
        add.remove(tp.partition());
        remove.remove(tp.partition());
        if (!adding.isEmpty()) {
            add.put(tp.partition(), adding);
        }
        if (!removing.isEmpty()) {
            remove.put(tp.partition(), removing);
        }
        TopicAssignment next = new TopicAssignment(a.id(), all, add, remove);
        controller.session().write(controller.lease(),
                List.of(new Op.SetData(ClusterPaths.topic(tp.topic()), next.toJson(), Op.ANY_VERSION)));
        ctx.topics.put(tp.topic(), next);
    }
}
