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
import java.util.Set;

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

        Map<String, List<TopicPartition>> assignment = input.emptyAssignment();
        List<TopicState> states = new ArrayList<>();
        input.partitionsByTopic.forEach((topic, partitions) ->
                states.add(new TopicState(topic, partitions, membersByTopic.get(topic), consumerRacks, assignment)));

        if (states.stream().anyMatch(t -> t.needsRackAwareAssignment)) {
            assignWithRackMatching(states);
        }
        for (TopicState state : states) {
            assignRanges(state, (member, partition) -> true);
        }
        return GroupInput.toGroupAssignment(assignment);
    }

    /** Who may take which partition, by position in a topic's member and partition lists. */
    private interface MayAssign {
        boolean test(int member, int partition);
    }

    /** Each member in order takes the first unassigned partitions it may, up to its quota. */
    private static void assignRanges(TopicState state, MayAssign mayAssign) {
        int[] taken = new int[state.minQuota + 1];
        for (int m = 0; m < state.members.size() && state.unassignedCount > 0; m++) {
            int max = state.maxAssignable(m);
            int n = 0;
            for (int p = state.firstUnassigned; p < state.partitions.length && n < max; p++) {
                if (!state.assigned[p] && mayAssign.test(m, p)) {
                    taken[n++] = p;
                }
            }
            if (n > 0) {
                state.assign(m, taken, n);
            }
        }
    }

    /**
     * Topics with the same subscribers form a group; within it, topics with equal partition counts
     * are co-partitioned and matched together, any other topic alone.
     */
    private static void assignWithRackMatching(List<TopicState> states) {
        Map<List<String>, Map<Integer, List<TopicState>>> groups = new LinkedHashMap<>();
        for (TopicState state : states) {
            groups.computeIfAbsent(state.members, c -> new LinkedHashMap<>())
                    .computeIfAbsent(state.partitionRacks.size(), n -> new ArrayList<>()).add(state);
        }
        groups.forEach((members, byCount) -> byCount.forEach((numPartitions, coPartitioned) -> {
            if (coPartitioned.size() > 1) {
                assignCoPartitionedWithRackMatching(members.size(), numPartitions, coPartitioned);
            } else {
                TopicState state = coPartitioned.get(0);
                if (state.needsRackAwareAssignment) {
                    assignRanges(state, state::racksMatch);
                }
            }
        }));
    }

    /**
     * Partition {@code p} of every topic of the group goes to the first member whose rack holds a
     * replica of each and who has room in each; a member without room anywhere drops out.
     */
    private static void assignCoPartitionedWithRackMatching(int memberCount, int numPartitions, List<TopicState> states) {
        Set<Integer> remaining = new LinkedHashSet<>();
        for (int m = 0; m < memberCount; m++) {
            remaining.add(m);
        }
        int[] one = new int[1];
        for (int p = 0; p < numPartitions; p++) {
            int match = -1;
            for (int m : remaining) {
                boolean fits = true;
                for (TopicState t : states) {
                    if (!t.racksMatch(m, p) || t.maxAssignable(m) == 0) {
                        fits = false;
                        break;
                    }
                }
                if (fits) {
                    match = m;
                    break;
                }
            }
            if (match < 0) {
                continue;
            }
            one[0] = p;
            for (TopicState t : states) {
                t.assign(match, one, 1);
            }
            int member = match;
            if (states.stream().allMatch(t -> t.maxAssignable(member) == 0)) {
                remaining.remove(member);
                if (remaining.isEmpty()) {
                    break;
                }
            }
        }
    }

    /**
     * One topic's quotas and what is still unassigned. Members and partitions are addressed by
     * their position: members in member order, partitions by number.
     */
    private static final class TopicState {
        final List<String> members;
        /** Each member's rack, null for none. */
        final String[] racks;
        final TopicPartition[] partitions;
        /** Replica racks by partition position; empty when no subscriber has a rack. */
        final List<Set<String>> partitionRacks;
        final boolean needsRackAwareAssignment;
        final boolean[] assigned;
        final int[] assignedCount;
        final int minQuota;
        int membersWithExtraLeft;
        int firstUnassigned;
        int unassignedCount;
        private final Map<String, List<TopicPartition>> assignment;

        TopicState(String topic, List<PartitionInfo> partitionInfos, List<String> members,
                   Map<String, String> consumerRacks, Map<String, List<TopicPartition>> assignment) {
            this.members = members;
            this.assignment = assignment;
            racks = new String[members.size()];
            Set<String> memberRacks = new HashSet<>();
            for (int m = 0; m < racks.length; m++) {
                racks[m] = consumerRacks.get(members.get(m));
                if (racks[m] != null) {
                    memberRacks.add(racks[m]);
                }
            }
            partitions = new TopicPartition[partitionInfos.size()];
            for (int p = 0; p < partitions.length; p++) {
                partitions[p] = new TopicPartition(topic, partitionInfos.get(p).partition());
            }
            assigned = new boolean[partitions.length];
            assignedCount = new int[members.size()];
            unassignedCount = partitions.length;
            minQuota = partitions.length / members.size();
            membersWithExtraLeft = partitions.length % members.size();

            Set<String> allPartitionRacks = new HashSet<>();
            if (memberRacks.isEmpty()) {
                partitionRacks = List.of();
            } else {
                partitionRacks = new ArrayList<>(partitions.length);
                for (PartitionInfo p : partitionInfos) {
                    Set<String> replicaRacks = new HashSet<>();
                    for (Node replica : p.replicas()) {
                        replica.rack().ifPresent(replicaRacks::add);
                    }
                    partitionRacks.add(replicaRacks);
                    allPartitionRacks.addAll(replicaRacks);
                }
            }
            // Worth it only when racks meet and some partition is missing from some rack.
            needsRackAwareAssignment = !memberRacks.isEmpty()
                    && !Collections.disjoint(memberRacks, allPartitionRacks)
                    && !partitionRacks.stream().allMatch(allPartitionRacks::equals);
        }

        boolean racksMatch(int member, int partition) {
            String rack = racks[member];
            return rack == null || (partition < partitionRacks.size() && partitionRacks.get(partition).contains(rack));
        }

        int maxAssignable(int member) {
            return Math.max(0, minQuota + (membersWithExtraLeft > 0 ? 1 : 0) - assignedCount[member]);
        }

        void assign(int member, int[] partitionPositions, int n) {
            List<TopicPartition> list = assignment.get(members.get(member));
            for (int i = 0; i < n; i++) {
                assigned[partitionPositions[i]] = true;
                list.add(partitions[partitionPositions[i]]);
            }
            unassignedCount -= n;
            while (firstUnassigned < assigned.length && assigned[firstUnassigned]) {
                firstUnassigned++;
            }
            assignedCount[member] += n;
            // Kafka's bookkeeping: one extra slot used per call that leaves the member above the lower quota.
            if (assignedCount[member] > minQuota) {
                membersWithExtraLeft--;
            }
        }
    }
}
