package io.fjord.controller;

import java.util.List;

/**
 * One partition in a {@link MetadataImage}: its replicas in preference order, the leader, the
 * in-sync replicas and the epochs. Immutable.
 *
 * <p>Invariants: {@code replicas} is non-empty and without duplicates; {@code isr} is a subset of
 * {@code replicas}; {@code leader} is in {@code isr}, or -1 when no leader is available. With one
 * broker every list is that broker and the leader is that broker.
 *
 * @param partition      the partition index, 0-based
 * @param leader         the leader's broker id, or -1
 * @param leaderEpoch    bumped on every leader change; fences stale leaders and followers
 * @param partitionEpoch bumped on every change to the partition (leader, ISR or replicas)
 * @param replicas       the assigned brokers, preferred leader first
 * @param isr            the in-sync replicas
 */
public record PartitionImage(int partition, int leader, int leaderEpoch, int partitionEpoch,
                             List<Integer> replicas, List<Integer> isr) {

    public PartitionImage {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("partition " + partition + " has no replicas");
        }
        if (!replicas.containsAll(isr)) {
            throw new IllegalArgumentException("isr " + isr + " is not a subset of replicas " + replicas);
        }
        if (leader != -1 && !isr.contains(leader)) {
            throw new IllegalArgumentException("leader " + leader + " is not in isr " + isr);
        }
    }
}
