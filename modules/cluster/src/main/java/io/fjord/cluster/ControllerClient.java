package io.fjord.cluster;

import io.fjord.api.TopicPartition;

import io.fjord.cluster.state.PartitionState;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** How a broker reaches the active controller when that is another broker (over the wire). */
public interface ControllerClient extends AutoCloseable {

    /**
     * Sends ControlledShutdown to {@code controllerId}.
     *
     * @return the partitions the broker still leads; fails with the controller's error
     */
    CompletableFuture<Set<TopicPartition>> controlledShutdown(int controllerId, int brokerId, long brokerEpoch);

    /**
     * Sends one partition's AlterPartition to {@code controllerId}: the leader proposes
     * {@code proposedIsr} at its leader and partition epochs, with the broker epoch each member
     * fetched with where known.
     *
     * @return the partition state the controller committed; fails with an {@code ApiException}
     *     carrying the controller's error (for example FENCED_LEADER_EPOCH,
     *     INVALID_UPDATE_VERSION, NOT_CONTROLLER)
     */
    CompletableFuture<PartitionState> alterPartition(int controllerId, int brokerId, long brokerEpoch, UUID topicId,
                                                     int partition, int leaderEpoch, int partitionEpoch,
                                                     List<Integer> proposedIsr, Map<Integer, Long> memberEpochs);

    @Override
    void close();
}
