package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.ClusterMember;
import io.fjord.cluster.PartitionLeadership;
import io.fjord.cluster.ReplicaHost;
import io.fjord.common.errors.Errors;
import io.fjord.controller.TopicImage;
import io.fjord.controller.TopicNames;
import io.fjord.coordinator.GroupCoordinator;
import io.fjord.replication.Partition;
import io.fjord.replication.ReplicaManager;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A cluster member's replicas, as the controller directs them: LeaderAndIsr makes this broker
 * leader or follower of partitions (opening their logs with their topic's configs, read from the
 * cluster first for a topic new here), StopReplica stops them, and leadership of a
 * {@code __consumer_offsets} partition moves its groups in or out of the group coordinator.
 */
final class ClusterReplicas implements ReplicaHost {

    private static final Logger LOG = Logger.getLogger(ClusterReplicas.class.getName());

    private final int nodeId;
    private final ReplicaManager replicaManager;
    private final ToIntFunction<String> minInsyncReplicas;
    private final int defaultOffsetsPartitions;
    private volatile ClusterMember member;
    private volatile GroupCoordinator groupCoordinator;

    ClusterReplicas(int nodeId, ReplicaManager replicaManager, ToIntFunction<String> minInsyncReplicas,
            int defaultOffsetsPartitions) {
        this.nodeId = nodeId;
        this.replicaManager = replicaManager;
        this.minInsyncReplicas = minInsyncReplicas;
        this.defaultOffsetsPartitions = defaultOffsetsPartitions;
    }

    void bind(ClusterMember member, GroupCoordinator groupCoordinator) {
        this.member = member;
        this.groupCoordinator = groupCoordinator;
    }

    @Override
    public Map<TopicPartition, Errors> applyLeadership(List<PartitionLeadership> partitions) {
        Set<String> newTopics = new LinkedHashSet<>();
        for (PartitionLeadership p : partitions) {
            if (p.isNew() || member.store().image().topic(p.topic()) == null) {
                newTopics.add(p.topic());
            }
        }
        newTopics.forEach(t -> member.store().reloadConfigs(t));
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        for (PartitionLeadership p : partitions) {
            TopicPartition tp = new TopicPartition(p.topic(), p.partition());
            boolean leader = p.state().leader() == nodeId;
            Partition before = replicaManager.partition(tp);
            boolean wasLeader = before != null && before.isLeader();
            try {
                replicaManager.applyLeadership(tp, p.topicId(), new ReplicaManager.Leadership(p.state().leader(),
                        p.state().leaderEpoch(), p.state().partitionEpoch(), p.replicas(), p.state().isr()),
                        minInsyncReplicas.applyAsInt(p.topic()));
                results.put(tp, Errors.NONE);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "Applying the leadership of " + tp + " failed", e);
                results.put(tp, Errors.KAFKA_STORAGE_ERROR);
                continue;
            }
            if (p.topic().equals(TopicNames.CONSUMER_OFFSETS) && groupCoordinator != null) {
                if (leader && !wasLeader) {
                    groupCoordinator.onElection(p.partition(), offsetsPartitions());
                } else if (!leader && wasLeader) {
                    groupCoordinator.onResignation(p.partition());
                }
            }
        }
        return results;
    }

    private int offsetsPartitions() {
        TopicImage t = member.store().image().topic(TopicNames.CONSUMER_OFFSETS);
        return t != null ? t.partitionCount() : defaultOffsetsPartitions;
    }

    @Override
    public void stopReplicas(List<TopicPartition> partitions, boolean delete) {
        for (TopicPartition tp : partitions) {
            Partition before = replicaManager.partition(tp);
            try {
                replicaManager.stopReplica(tp, delete);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Stopping the replica of " + tp + " failed", e);
            }
            if (before != null && before.isLeader() && tp.topic().equals(TopicNames.CONSUMER_OFFSETS)
                    && groupCoordinator != null) {
                groupCoordinator.onResignation(tp.partition());
            }
        }
    }
}
