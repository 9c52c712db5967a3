package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.state.BrokerRegistration;
import io.fjord.cluster.state.PartitionState;
import io.fjord.cluster.state.TopicAssignment;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The controller's answers to AlterPartition, ControlledShutdown and ElectLeaders, run on its event
 * thread (one instance per request).
 */
final class PartitionRequests {

    private final ClusterController controller;
    private final ControllerContext ctx;

    PartitionRequests(ClusterController controller) {
        this.controller = controller;
        this.ctx = controller.context();
    }

    /**
     * Kafka's checks of an ISR change a leader asks for, in Kafka's order: a stale broker epoch
     * refuses the whole request; per partition an unknown partition, a request from a non-leader, a
     * leader or partition epoch newer than the controller's (it is stale: NOT_CONTROLLER), an older
     * leader epoch, a change already made (answered with the current state), an illegal recovery
     * state, an older partition epoch, and ISR members that are not live or are shutting down.
     */
    Map<TopicPartition, AlterPartitionResult> alterPartition(int fromBroker, long brokerEpoch,
            Map<TopicPartition, AlterPartitionResult.Proposal> proposals) {
        checkBrokerEpoch(fromBroker, brokerEpoch);
        Map<TopicPartition, AlterPartitionResult> results = new LinkedHashMap<>();
        Map<TopicPartition, PartitionState> accepted = new LinkedHashMap<>();
        proposals.forEach((tp, proposal) -> {
            PartitionState s = ctx.states.get(tp);
            if (s == null || ctx.deleting.contains(tp.topic())) {
                results.put(tp, AlterPartitionResult.error(Errors.UNKNOWN_TOPIC_OR_PARTITION));
            } else if (s.leader() != fromBroker) {
                results.put(tp, AlterPartitionResult.error(Errors.NOT_LEADER_OR_FOLLOWER));
            } else if (proposal.leaderEpoch() > s.leaderEpoch() || proposal.partitionEpoch() > s.partitionEpoch()) {
                results.put(tp, AlterPartitionResult.error(Errors.NOT_CONTROLLER));
            } else if (proposal.leaderEpoch() < s.leaderEpoch()) {
                results.put(tp, AlterPartitionResult.error(Errors.FENCED_LEADER_EPOCH));
            } else if (proposal.newIsr().equals(s.isr()) && proposal.recovering() == s.recovering()) {
                results.put(tp, new AlterPartitionResult(Errors.NONE, s));
            } else if ((proposal.recovering() && proposal.newIsr().size() > 1)
                    || (!s.recovering() && proposal.recovering())) {
                results.put(tp, AlterPartitionResult.error(Errors.INVALID_REQUEST));
            } else if (proposal.partitionEpoch() < s.partitionEpoch()) {
                results.put(tp, AlterPartitionResult.error(Errors.INVALID_UPDATE_VERSION));
            } else if (!proposal.newIsr().contains(fromBroker)) {
                results.put(tp, AlterPartitionResult.error(Errors.INVALID_REQUEST));
            } else if (!eligible(tp, proposal.newIsr()) || !sameIncarnations(proposal.memberEpochs())) {
                results.put(tp, AlterPartitionResult.error(Errors.INELIGIBLE_REPLICA));
            } else {
                accepted.put(tp, new PartitionState(s.leader(), s.leaderEpoch(), proposal.newIsr(),
                        controller.lease().epoch(), s.partitionEpoch(), proposal.recovering()));
            }
        });
        RequestBatch batch = new RequestBatch();
        controller.writeAndPublish(accepted, batch);
        for (TopicPartition tp : accepted.keySet()) {
            results.put(tp, new AlterPartitionResult(Errors.NONE, ctx.states.get(tp)));
        }
        controller.reassignments().onIsrChange(accepted.keySet(), batch);
        controller.flush(batch);
        return results;
    }

    /** KIP-903: a member that fetched as an earlier registration of its broker may not join. */
    private boolean sameIncarnations(Map<Integer, Long> memberEpochs) {
        for (Map.Entry<Integer, Long> e : memberEpochs.entrySet()) {
            BrokerRegistration live = ctx.live.get(e.getKey());
            if (e.getValue() >= 0 && (live == null || live.epoch() != e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private boolean eligible(TopicPartition tp, List<Integer> isr) {
        List<Integer> replicas = ctx.replicas(tp);
        return isr.stream().allMatch(r -> replicas.contains(r) && ctx.eligible(r));
    }

    /**
     * Kafka's controlled shutdown: the broker stops being eligible; partitions it leads move to
     * another live ISR member; partitions it follows drop it from their ISR and stop their replica.
     *
     * @return the replicated partitions it still leads (no eligible leader to move them to)
     */
    Set<TopicPartition> controlledShutdown(int fromBroker, long brokerEpoch) {
        checkBrokerEpoch(fromBroker, brokerEpoch);
        ctx.shuttingDown.add(fromBroker);
        Map<TopicPartition, PartitionState> changes = new LinkedHashMap<>();
        RequestBatch batch = new RequestBatch();
        int epoch = controller.lease().epoch();
        for (TopicPartition tp : ctx.partitionsOn(fromBroker)) {
            PartitionState s = ctx.states.get(tp);
            List<Integer> replicas = ctx.replicas(tp);
            if (s == null || replicas.size() < 2) {
                continue;
            }
            if (s.leader() == fromBroker) {
                OptionalInt leader = LeaderElection.controlledShutdown(replicas, s.isr(), ctx.liveIds(), ctx.shuttingDown);
                if (leader.isPresent()) {
                    changes.put(tp, s.withLeader(leader.getAsInt(),
                            ClusterController.without(s.isr(), ctx.shuttingDown), epoch));
                }
            } else if (s.isr().contains(fromBroker)) {
                batch.stopReplica(fromBroker, tp, s.leaderEpoch(), false);
                if (s.isr().size() > 1) {
                    changes.put(tp, s.withLeader(s.leader(), ClusterController.without(s.isr(), Set.of(fromBroker)), epoch));
                }
            }
        }
        controller.writeAndTell(changes, batch);
        controller.flush(batch);
        Set<TopicPartition> remaining = new HashSet<>();
        for (TopicPartition tp : ctx.partitionsOn(fromBroker)) {
            PartitionState s = ctx.states.get(tp);
            if (s != null && s.leader() == fromBroker && ctx.replicas(tp).size() > 1) {
                remaining.add(tp);
            }
        }
        return remaining;
    }

    /**
     * ElectLeaders: per partition ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
     * ELIGIBLE_LEADERS_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION or NONE (elected). With null
     * partitions every partition is considered and only those elected or failed are answered.
     */
    Map<TopicPartition, Errors> electLeaders(ElectionType type, Set<TopicPartition> partitions) {
        boolean all = partitions == null;
        Collection<TopicPartition> targets = all ? ctx.allPartitions() : partitions;
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        Map<TopicPartition, PartitionState> changes = new LinkedHashMap<>();
        int epoch = controller.lease().epoch();
        for (TopicPartition tp : targets) {
            TopicAssignment a = ctx.topics.get(tp.topic());
            PartitionState s = ctx.states.get(tp);
            if (a == null || tp.partition() < 0 || tp.partition() >= a.partitionCount() || ctx.deleting.contains(tp.topic())) {
                results.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                continue;
            }
            if (s == null) {
                results.put(tp, Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE);
                continue;
            }
            List<Integer> replicas = ctx.replicas(tp);
            Set<Integer> eligible = new HashSet<>(ctx.liveIds());
            eligible.removeAll(ctx.shuttingDown);
            if (type == ElectionType.PREFERRED) {
                if (s.leader() == replicas.get(0)) {
                    results.put(tp, Errors.ELECTION_NOT_NEEDED);
                } else {
                    OptionalInt leader = LeaderElection.preferred(replicas, s.isr(), eligible);
                    if (leader.isPresent()) {
                        changes.put(tp, s.withLeader(leader.getAsInt(), s.isr(), epoch));
                        results.put(tp, Errors.NONE);
                    } else {
                        results.put(tp, Errors.PREFERRED_LEADER_NOT_AVAILABLE);
                    }
                }
            } else if (eligible.contains(s.leader())) {
                results.put(tp, Errors.ELECTION_NOT_NEEDED);
            } else {
                OptionalInt clean = LeaderElection.offline(replicas, s.isr(), eligible, false);
                OptionalInt any = LeaderElection.offline(replicas, s.isr(), eligible, true);
                if (clean.isPresent()) {
                    changes.put(tp, s.withLeader(clean.getAsInt(), ClusterController.without(s.isr(),
                            notIn(s.isr(), eligible)), epoch));
                    results.put(tp, Errors.NONE);
                } else if (any.isPresent()) {
                    changes.put(tp, new PartitionState(any.getAsInt(), s.leaderEpoch() + 1, List.of(any.getAsInt()),
                            epoch, s.partitionEpoch(), true));
                    results.put(tp, Errors.NONE);
                } else {
                    results.put(tp, Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE);
                }
            }
        }
        RequestBatch batch = new RequestBatch();
        controller.writeAndTell(changes, batch);
        controller.flush(batch);
        if (all) {
            results.values().removeIf(e -> e == Errors.ELECTION_NOT_NEEDED);
        }
        return results;
    }

    private static List<Integer> notIn(List<Integer> isr, Set<Integer> eligible) {
        List<Integer> out = new ArrayList<>();
        for (int r : isr) {
            if (!eligible.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private void checkBrokerEpoch(int broker, long brokerEpoch) {
        BrokerRegistration b = ctx.live.get(broker);
        if (b == null) {
            throw new ApiException(Errors.BROKER_NOT_AVAILABLE, "Broker " + broker + " is not registered");
        }
        if (b.epoch() != brokerEpoch) {
            throw new ApiException(Errors.STALE_BROKER_EPOCH, "Broker " + broker + " has epoch " + b.epoch()
                    + ", not " + brokerEpoch);
        }
    }
}
