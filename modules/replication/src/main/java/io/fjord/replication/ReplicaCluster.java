package io.fjord.replication;

/**
 * What replication needs to know of the cluster around this broker: where the other brokers
 * are, which may join an ISR, this broker's own epoch, and where ISR changes go.
 */
public interface ReplicaCluster {

    /** The endpoint of broker {@code brokerId}, or null if it is not a live broker. */
    BrokerEndpoint endpoint(int brokerId);

    /** This broker's registration epoch, sent in follower fetches (Fetch v15's ReplicaState). */
    long brokerEpoch();

    /** Whether {@code brokerId} may join an ISR: alive in the cluster. */
    boolean isEligible(int brokerId);

    AlterPartitionSender alterPartition();

    /**
     * A broker's listener address.
     *
     * @param id the broker's id
     */
    record BrokerEndpoint(int id, String host, int port) {
    }
}
