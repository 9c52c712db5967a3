package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.replication.Partition;

/** Finds the partition this broker leads for a topic partition the metadata has. */
@FunctionalInterface
interface PartitionLookup {

    /**
     * The partition if the metadata has it: led already, or led now (a request racing the listener
     * that creates it). Null for a topic or partition that does not exist.
     */
    Partition partitionFor(TopicPartition tp);
}
