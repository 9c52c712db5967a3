package io.fjord.replication;

/**
 * Whether a follower may join an ISR (and hold back the high watermark while catching up): in a
 * cluster on ZooKeeper, a broker that is alive (registered).
 */
@FunctionalInterface
public interface ReplicaEligibility {

    ReplicaEligibility ALL = brokerId -> true;

    boolean isEligible(int brokerId);
}
