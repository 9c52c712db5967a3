package io.fjord.cluster.controller;

import io.fjord.common.errors.Errors;
import io.fjord.controller.MetadataException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka's replica placement for new partitions: round-robin over the live brokers from a random
 * start, each partition's followers shifted so replicas spread evenly, and, when every broker has a
 * {@code broker.rack}, a broker list that alternates racks so the replicas of one partition land on
 * as many racks as possible.
 *
 * <p>The same start and shift give the same placement, so tests pass a seeded {@link Random}.
 */
public final class ReplicaPlacement {

    private final Random random;

    public ReplicaPlacement(Random random) {
        this.random = random;
    }

    /**
     * Places {@code partitions} new partitions, numbered from {@code firstPartition}.
     *
     * @param brokerRacks the live brokers and their racks (null for a broker without one)
     * @return per new partition, its replicas, the preferred leader first
     * @throws MetadataException INVALID_REPLICATION_FACTOR when there are fewer brokers than replicas
     */
    public List<List<Integer>> place(Map<Integer, String> brokerRacks, int partitions, int replicationFactor,
            int firstPartition) {
        if (replicationFactor <= 0) {
            throw new MetadataException(Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0.");
        }
        if (replicationFactor > brokerRacks.size()) {
            throw new MetadataException(Errors.INVALID_REPLICATION_FACTOR, "Replication factor: " + replicationFactor
                    + " larger than available brokers: " + brokerRacks.size() + ".");
        }
        boolean rackAware = !brokerRacks.isEmpty() && brokerRacks.values().stream().allMatch(r -> r != null);
        return rackAware
                ? rackAware(brokerRacks, partitions, replicationFactor, firstPartition)
                : rackUnaware(new ArrayList<>(new TreeMap<>(brokerRacks).keySet()), partitions, replicationFactor,
                        firstPartition);
    }

    private List<List<Integer>> rackUnaware(List<Integer> brokers, int partitions, int rf, int firstPartition) {
        int n = brokers.size();
        int start = random.nextInt(n);
        int shift = random.nextInt(n);
        List<List<Integer>> out = new ArrayList<>(partitions);
        for (int p = firstPartition; p < firstPartition + partitions; p++) {
            if (p > 0 && p % n == 0) {
                shift++;
            }
            int first = (p + start) % n;
            List<Integer> replicas = new ArrayList<>(rf);
            replicas.add(brokers.get(first));
            for (int j = 0; j < rf - 1; j++) {
                replicas.add(brokers.get(followerIndex(first, shift, j, n)));
            }
            out.add(replicas);
        }
        return out;
    }

    private List<List<Integer>> rackAware(Map<Integer, String> brokerRacks, int partitions, int rf, int firstPartition) {
        List<Integer> arranged = rackAlternated(brokerRacks);
        int n = arranged.size();
        int racks = new HashSet<>(brokerRacks.values()).size();
        int start = random.nextInt(n);
        int shift = random.nextInt(n);
        List<List<Integer>> out = new ArrayList<>(partitions);
        for (int p = firstPartition; p < firstPartition + partitions; p++) {
            if (p > 0 && p % n == 0) {
                shift++;
            }
            int first = (p + start) % n;
            int leader = arranged.get(first);
            List<Integer> replicas = new ArrayList<>(rf);
            replicas.add(leader);
            Set<String> racksUsed = new HashSet<>(Set.of(brokerRacks.get(leader)));
            Set<Integer> brokersUsed = new HashSet<>(Set.of(leader));
            int k = 0;
            while (replicas.size() < rf) {
                int broker = arranged.get(followerIndex(first, shift * racks, k++, n));
                String rack = brokerRacks.get(broker);
                // A new rack first, then any broker not used yet once every rack holds a replica.
                if ((!racksUsed.contains(rack) || racksUsed.size() == racks)
                        && (!brokersUsed.contains(broker) || brokersUsed.size() == n)) {
                    replicas.add(broker);
                    racksUsed.add(rack);
                    brokersUsed.add(broker);
                }
            }
            out.add(replicas);
        }
        return out;
    }

    private static int followerIndex(int first, int shift, int replica, int n) {
        int step = 1 + (shift + replica) % (n - 1);
        return (first + step) % n;
    }

    /** The brokers taken one rack at a time in rack order, each rack's brokers in id order. */
    static List<Integer> rackAlternated(Map<Integer, String> brokerRacks) {
        Map<String, List<Integer>> byRack = new TreeMap<>();
        new TreeMap<>(brokerRacks).forEach((id, rack) -> byRack.computeIfAbsent(rack, r -> new ArrayList<>()).add(id));
        List<Iterator<Integer>> iterators = new ArrayList<>();
        byRack.values().forEach(l -> iterators.add(l.iterator()));
        List<Integer> out = new ArrayList<>(brokerRacks.size());
        for (int i = 0; out.size() < brokerRacks.size(); i = (i + 1) % iterators.size()) {
            if (iterators.get(i).hasNext()) {
                out.add(iterators.get(i).next());
            }
        }
        return out;
    }
}
