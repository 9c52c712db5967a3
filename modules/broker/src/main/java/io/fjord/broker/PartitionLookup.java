package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.replication.Partition;

/** Finds the partition this broker leads for a topic partition the metadata has. */
interface PartitionLookup {

    /**
     * The partition if this broker leads it: led already, or on a single node led now (a request
     * racing the listener that creates it). Null otherwise.
     */
    Partition partitionFor(TopicPartition tp);

    /**
     * Why {@link #partitionFor} has nothing: NOT_LEADER_OR_FOLLOWER for a partition that exists
     * but is led elsewhere, UNKNOWN_TOPIC_OR_PARTITION for one that does not exist.
     */
    Errors notServedError(TopicPartition tp);
}
