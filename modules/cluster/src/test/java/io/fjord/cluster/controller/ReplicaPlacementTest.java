package io.fjord.cluster.controller;

import io.fjord.common.errors.Errors;
import io.fjord.controller.MetadataException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReplicaPlacementTest {

    private static Map<Integer, String> brokers(String... racks) {
        Map<Integer, String> m = new TreeMap<>();
        for (int i = 0; i < racks.length; i++) {
            m.put(i + 1, racks[i]);
        }
        return m;
    }

    @Test
    void leadersAndReplicasAreSpreadEvenlyWithoutRacks() {
        for (int seed = 0; seed < 20; seed++) {
            List<List<Integer>> placed = new ReplicaPlacement(new Random(seed))
                    .place(brokers(null, null, null), 30, 3, 0);
            Map<Integer, Integer> leaders = new HashMap<>();
            Map<Integer, Integer> replicas = new HashMap<>();
            for (List<Integer> r : placed) {
                assertEquals(3, new HashSet<>(r).size(), "distinct replicas: " + r);
                leaders.merge(r.get(0), 1, Integer::sum);
                r.forEach(b -> replicas.merge(b, 1, Integer::sum));
            }
            assertEquals(Map.of(1, 10, 2, 10, 3, 10), leaders);
            assertEquals(Map.of(1, 30, 2, 30, 3, 30), replicas);
        }
    }

    @Test
    void everyPartitionSpansAsManyRacksAsItHasReplicas() {
        Map<Integer, String> b = brokers("a", "a", "b", "b", "c", "c");
        for (int seed = 0; seed < 20; seed++) {
            for (List<Integer> r : new ReplicaPlacement(new Random(seed)).place(b, 12, 3, 0)) {
                assertEquals(3, new HashSet<>(r.stream().map(b::get).toList()).size(), "racks of " + r);
            }
        }
        assertEquals(List.of(1, 3, 5, 2, 4, 6), ReplicaPlacement.rackAlternated(b));
    }

    @Test
    void moreReplicasThanBrokersIsRefused() {
        MetadataException e = assertThrows(MetadataException.class,
                () -> new ReplicaPlacement(new Random(1)).place(brokers(null, null), 1, 3, 0));
        assertEquals(Errors.INVALID_REPLICATION_FACTOR, e.error());
    }
}
