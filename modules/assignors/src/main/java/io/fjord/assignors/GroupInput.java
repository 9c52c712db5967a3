package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor.Assignment;
import io.fjord.api.consumer.PartitionAssignor.GroupAssignment;
import io.fjord.api.consumer.PartitionAssignor.GroupSubscription;
import io.fjord.api.consumer.PartitionAssignor.Subscription;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every assignor starts from: the subscriptions, and the partitions of each subscribed topic
 * the metadata knows (topics without metadata or without partitions are left out, as Kafka does).
 */
final class GroupInput {

    final Map<String, Subscription> subscriptions;
    /** Subscribed topics with at least one partition, in name order; partitions by number. */
    final TreeMap<String, List<PartitionInfo>> partitionsByTopic = new TreeMap<>();

    GroupInput(Cluster metadata, GroupSubscription group) {
        this.subscriptions = group.groupSubscription();
        Set<String> seen = new HashSet<>();
        for (Subscription s : subscriptions.values()) {
            for (String topic : s.topics()) {
                if (seen.add(topic)) {
                    List<PartitionInfo> partitions = metadata.partitionsForTopic(topic);
                    if (!partitions.isEmpty()) {
                        partitionsByTopic.put(topic, partitions);
                    }
                }
            }
        }
    }

    /**
     * Kafka's member order: static members first, by {@code group.instance.id}, then dynamic
     * members by member id.
     */
    Comparator<String> memberOrder() {
        return (a, b) -> {
            var ia = subscriptions.get(a).groupInstanceId();
            var ib = subscriptions.get(b).groupInstanceId();
            if (ia.isPresent() && ib.isPresent()) {
                return ia.get().compareTo(ib.get());
            } else if (ia.isPresent()) {
                return -1;
            } else if (ib.isPresent()) {
                return 1;
            }
            return a.compareTo(b);
        };
    }

    /** Every member id, in {@link #memberOrder()}. */
    List<String> sortedMembers() {
        List<String> members = new ArrayList<>(subscriptions.keySet());
        members.sort(memberOrder());
        return members;
    }

    /** An empty, mutable list per member. */
    Map<String, List<TopicPartition>> emptyAssignment() {
        Map<String, List<TopicPartition>> assignment = new HashMap<>();
        subscriptions.keySet().forEach(m -> assignment.put(m, new ArrayList<>()));
        return assignment;
    }

    /** Wraps the lists, each sorted by topic and partition (the order carries no meaning). */
    static GroupAssignment toGroupAssignment(Map<String, List<TopicPartition>> assignment) {
        Map<String, Assignment> result = new HashMap<>();
        assignment.forEach((member, partitions) -> {
            partitions.sort(null);
            result.put(member, new Assignment(partitions));
        });
        return new GroupAssignment(result);
    }
}
