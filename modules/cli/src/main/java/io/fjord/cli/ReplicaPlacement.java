package io.fjord.cli;

import java.util.ArrayList;
import java.util.List;

/** Kafka's rack-unaware placement of replicas on brokers, which kafka-reassign-partitions.sh --generate uses. */
final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    /**
     * Partition p's first replica is broker {@code (p + startIndex) % n}; the others follow at a
     * shift that grows by one each time the partitions wrap around the brokers, so followers
     * spread as leaders do.
     *
     * @param brokers the brokers, in the order to place on
     * @param startIndex where partition 0 starts, Kafka's random choice passed in
     * @param replicaShift the shift of the first follower, Kafka's random choice passed in
     */
    static List<List<Integer>> place(int partitions, int replicationFactor, List<Integer> brokers, int startIndex,
                                     int replicaShift) {
        int n = brokers.size();
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("Replication factor must be larger than 0");
        }
        if (replicationFactor > n) {
            throw new IllegalArgumentException("Replication factor: " + replicationFactor
                    + " larger than available brokers: " + n + ".");
        }
        List<List<Integer>> placement = new ArrayList<>();
        int shift = replicaShift;
        for (int p = 0; p < partitions; p++) {
            if (p > 0 && p % n == 0) {
                shift++;
            }
            int first = (p + startIndex) % n;
            List<Integer> replicas = new ArrayList<>();
            replicas.add(brokers.get(first));
            for (int j = 0; j < replicationFactor - 1; j++) {
                replicas.add(brokers.get((first + 1 + (shift + j) % (n - 1)) % n));
            }
            placement.add(List.copyOf(replicas));
        }
        return placement;
    }
}
