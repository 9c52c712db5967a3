package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kafka's {@code roundrobin} assignor: all subscribed partitions, topics in name order and
 * partitions by number, are dealt one by one to the members in member order (static members by
 * instance id first), going round; a member not subscribed to a partition's topic is skipped for
 * that partition. With identical subscriptions, counts differ by at most one.
 */
public final class RoundRobinAssignor implements PartitionAssignor {

    public static final String NAME = "roundrobin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions) {
        GroupInput input = new GroupInput(metadata, subscriptions);
        List<String> members = input.sortedMembers();
        Map<String, List<TopicPartition>> assignment = input.emptyAssignment();
        if (members.isEmpty()) {
            return GroupInput.toGroupAssignment(assignment);
        }
        @SuppressWarnings("unchecked")
        Set<String>[] topicsOf = new Set[members.size()];
        for (int i = 0; i < members.size(); i++) {
            topicsOf[i] = new HashSet<>(input.subscriptions.get(members.get(i)).topics());
        }
        int next = 0;
        for (Map.Entry<String, List<PartitionInfo>> e : input.partitionsByTopic.entrySet()) {
            String topic = e.getKey();
            for (PartitionInfo p : e.getValue()) {
                // Terminates: the topic is in partitionsByTopic only because some member subscribes.
                while (!topicsOf[next].contains(topic)) {
                    next = (next + 1) % members.size();
                }
                assignment.get(members.get(next)).add(p.topicPartition());
                next = (next + 1) % members.size();
            }
        }
        return GroupInput.toGroupAssignment(assignment);
    }
}
