package io.fjord.cluster;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;

import java.util.List;
import java.util.Map;

/** What a cluster member asks of its broker's replicas when the controller tells it something. */
public interface ReplicaHost {

    /**
     * Makes this broker leader or follower of each partition, as its leadership says (creating the
     * log of a partition it does not have yet).
     *
     * @return per partition, NONE or the error that kept it from applying
     */
    Map<TopicPartition, Errors> applyLeadership(List<PartitionLeadership> partitions);

    /** Stops serving the partitions, deleting their logs when {@code delete}. */
    void stopReplicas(List<TopicPartition> partitions, boolean delete);
}
