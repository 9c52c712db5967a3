package io.fjord.cluster;

import io.fjord.api.TopicPartition;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** How a broker reaches the active controller when that is another broker (over the wire). */
public interface ControllerClient extends AutoCloseable {

    /**
     * Sends ControlledShutdown to {@code controllerId}.
     *
     * @return the partitions the broker still leads; fails with the controller's error
     */
    CompletableFuture<Set<TopicPartition>> controlledShutdown(int controllerId, int brokerId, long brokerEpoch);

    @Override
    void close();
}
