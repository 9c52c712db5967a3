package io.fjord.cluster;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.state.BrokerRegistration;

import java.util.List;

/**
 * What the controller tells a broker, as Kafka's controller did with LeaderAndIsr, UpdateMetadata
 * and StopReplica; the broker turns these into those wire requests and back. Each carries the
 * controller's id and epoch (a broker refuses an older epoch) and the receiving broker's epoch (a
 * broker refuses a request meant for an earlier registration of itself).
 */
public sealed interface ControllerRequest {

    int controllerId();

    int controllerEpoch();

    /** The epoch of the registration of the broker the request is for. */
    long brokerEpoch();

    /**
     * LeaderAndIsr: become leader or follower of these partitions.
     *
     * @param leaders the live brokers leading any of the partitions, so followers know where to fetch
     */
    record LeaderAndIsr(int controllerId, int controllerEpoch, long brokerEpoch, boolean full,
                        List<PartitionLeadership> partitions, List<BrokerRegistration> leaders)
            implements ControllerRequest {
    }

    /**
     * UpdateMetadata: the live brokers, and the partitions that changed (all of them when
     * {@code full}); a partition led by {@link PartitionLeadership#LEADER_DURING_DELETE} was deleted.
     */
    record UpdateMetadata(int controllerId, int controllerEpoch, long brokerEpoch, boolean full,
                          List<BrokerRegistration> liveBrokers, List<PartitionLeadership> partitions)
            implements ControllerRequest {
    }

    /**
     * StopReplica: stop serving these partitions, and delete their logs when {@code delete}.
     *
     * @param leaderEpochs per partition, the leader epoch at which it was stopped (parallel list)
     */
    record StopReplica(int controllerId, int controllerEpoch, long brokerEpoch, boolean delete,
                       List<TopicPartition> partitions, List<Integer> leaderEpochs) implements ControllerRequest {
    }
}
