package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.Node;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Kafka's {@code range} assignor. Per topic, the partitions in number order are cut into
 * contiguous ranges, one per subscriber in member order (static members by instance id first);
 * the first {@code partitions % subscribers} members get one more. Topics with the same
 * subscribers and the same partition count are therefore co-partitioned: partition {@code i} of
 * each goes to the same member.
 *
 * <p>Rack awareness, as Kafka's: when members send a rack ({@code client.rack}) and the replicas
 * of some partition live on only a subset of the racks, members first take partitions with a
 * replica on their own rack, without exceeding the per-topic quotas above; co-partitioned topics
 * are matched partition index by partition index so co-partitioning holds; whatever is left is
 * handed out by plain ranges.
 */
public final class RangeAssignor implements PartitionAssignor {

    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions) {
        GroupInput input = new GroupInput(metadata, subscriptions);
        Map<String, String> consumerRacks = new HashMap<>();
        input.subscriptions.forEach((member, s) ->
                s.rackId().filter(r -> !r.isEmpty()).ifPresent(r -> consumerRacks.put(member, r)));

        Map<String, List<String>> membersByTopic = new HashMap<>();
        for (String member : input.sortedMembers()) {
            // A topic listed twice counts once.
            for (String topic : new LinkedHashSet<>(input.subscriptions.get(member).topics())) {
                membersByTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(member);
            }
        }

        List<TopicState> states = new ArrayList<>();
        input.partitionsByTopic.forEach((topic, partitions) ->
                states.add(new TopicState(topic, partitions, membersByTopic.get(topic), consumerRacks)));

        Map<String, List<TopicPartition>> assignment = input.emptyAssignment();
        if (states.stream().anyMatch(t -> t.needsRackAwareAssignment)) {
            assignWithRackMatching(states, assignment);
        }
        for (TopicState state : states) {
            assignRanges(state, (member, tp) -> true, assignment);
        }
        return GroupInput.toGroupAssignment(assignment);
    }

    private static void assignRanges(TopicState state, BiPredicate<String, TopicPartition> mayAssign,
                                     Map<String, List<TopicPartition>> assignment) {
        for (String member : state.consumers.keySet()) {
            if (state.unassigned.isEmpty()) {
                break;
            }
            int max = state.maxAssignable(member);
            if (max == 0) {
                continue;
            }
            List<TopicPartition> taken = new ArrayList<>(Math.min(max, state.unassigned.size()));
            for (TopicPartition tp : state.unassigned) {
                if (taken.size() == max) {
                    break;
                }
                if (mayAssign.test(member, tp)) {
                    taken.add(tp);
                }
            }
            if (!taken.isEmpty()) {
                assign(member, taken, state, assignment);
            }
        }
    }

    /**
     * Topics with the same subscribers form a group; within it, topics with equal partition counts
     * are co-partitioned and matched together, any other topic alone.
     */
    private static void assignWithRackMatching(List<TopicState> states, Map<String, List<TopicPartition>> assignment) {
        Map<Map<String, Optional<String>>, Map<Integer, List<TopicState>>> groups = new LinkedHashMap<>();
        for (TopicState state : states) {
            groups.computeIfAbsent(state.consumers, c -> new LinkedHashMap<>())
                    .computeIfAbsent(state.partitionRacks.size(), n -> new ArrayList<>()).add(state);
        }
        groups.forEach((consumers, byCount) -> byCount.forEach((numPartitions, coPartitioned) -> {
            if (coPartitioned.size() > 1) {
                assignCoPartitionedWithRackMatching(consumers.keySet(), numPartitions, coPartitioned, assignment);
            } else {
                TopicState state = coPartitioned.get(0);
                if (state.needsRackAwareAssignment) {
                    assignRanges(state, state::racksMatch, assignment);
                }
            }
        }));
    }

    private static void assignCoPartitionedWithRackMatching(Set<String> consumers, int numPartitions,
                                                            List<TopicState> states,
                                                            Map<String, List<TopicPartition>> assignment) {
        Set<String> remaining = new LinkedHashSet<>(consumers);
        for (int p = 0; p < numPartitions; p++) {
            String match = null;
            for (String member : remaining) {
                boolean fits = true;
                for (TopicState t : states) {
                    if (!t.racksMatch(member, new TopicPartition(t.topic, p)) || t.maxAssignable(member) == 0) {
                        fits = false;
                        break;
                    }
                }
                if (fits) {
                    match = member;
                    break;
                }
            }
            if (match == null) {
                continue;
            }
            for (TopicState t : states) {
                assign(match, List.of(new TopicPartition(t.topic, p)), t, assignment);
            }
            String member = match;
            if (states.stream().allMatch(t -> t.maxAssignable(member) == 0)) {
                remaining.remove(member);
                if (remaining.isEmpty()) {
                    break;
                }
            }
        }
    }

    private static void assign(String member, List<TopicPartition> partitions, TopicState state,
                               Map<String, List<TopicPartition>> assignment) {
        assignment.get(member).addAll(partitions);
        state.onAssigned(member, partitions);
    }

    /** One topic's quotas and what is still unassigned. */
    private static final class TopicState {
        final String topic;
        /** Subscribers in member order, with their racks. */
        final LinkedHashMap<String, Optional<String>> consumers = new LinkedHashMap<>();
        /** Replica racks per partition; empty when no subscriber has a rack. */
        final Map<TopicPartition, Set<String>> partitionRacks;
        final boolean needsRackAwareAssignment;
        final Set<TopicPartition> unassigned = new LinkedHashSet<>();
        final Map<String, Integer> assignedCount = new HashMap<>();
        final int minQuota;
        int membersWithExtraLeft;

        TopicState(String topic, List<PartitionInfo> partitions, List<String> members, Map<String, String> consumerRacks) {
            this.topic = topic;
            for (String m : members) {
                consumers.put(m, Optional.ofNullable(consumerRacks.get(m)));
                assignedCount.put(m, 0);
            }
            partitions.forEach(p -> unassigned.add(p.topicPartition()));
            minQuota = partitions.size() / consumers.size();
            membersWithExtraLeft = partitions.size() % consumers.size();

            Set<String> memberRacks = new HashSet<>();
            consumers.values().forEach(r -> r.ifPresent(memberRacks::add));
            Set<String> allPartitionRacks = new HashSet<>();
            if (memberRacks.isEmpty()) {
                partitionRacks = Collections.emptyMap();
            } else {
                partitionRacks = new HashMap<>();
                for (PartitionInfo p : partitions) {
                    Set<String> racks = new HashSet<>();
                    for (Node replica : p.replicas()) {
                        replica.rack().ifPresent(racks::add);
                    }
                    partitionRacks.put(p.topicPartition(), racks);
                    allPartitionRacks.addAll(racks);
                }
            }
            // Worth it only when racks meet and some partition is missing from some rack.
            needsRackAwareAssignment = !memberRacks.isEmpty()
                    && !Collections.disjoint(memberRacks, allPartitionRacks)
                    && !partitionRacks.values().stream().allMatch(allPartitionRacks::equals);
        }

        boolean racksMatch(String member, TopicPartition tp) {
            Optional<String> rack = consumers.get(member);
            if (rack.isEmpty()) {
                return true;
            }
            Set<String> replicaRacks = partitionRacks.get(tp);
            return replicaRacks != null && replicaRacks.contains(rack.get());
        }

        int maxAssignable(String member) {
            int max = minQuota + (membersWithExtraLeft > 0 ? 1 : 0) - assignedCount.get(member);
            return Math.max(0, max);
        }

        void onAssigned(String member, List<TopicPartition> partitions) {
            int count = assignedCount.merge(member, partitions.size(), Integer::sum);
            if (count > minQuota) {
                membersWithExtraLeft--;
            }
            partitions.forEach(unassigned::remove);
        }
    }
}
