package io.fjord.cluster.state;

import io.fjord.controller.ClusterIds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A topic's id and replica assignment as stored at {@code /brokers/topics/<t>} (Kafka's JSON,
 * version 3), including a reassignment in progress (KIP-455): while one runs, {@code replicas} is
 * the union of the old and the target replicas, {@code adding} the target replicas not yet placed
 * and {@code removing} the old ones to drop.
 *
 * <p>Invariants: partition {@code i} is at index {@code i}; every list of replicas is non-empty and
 * without duplicates; adding and removing are subsets of a partition's replicas.
 *
 * @param id         the topic id
 * @param replicas   per partition, the replicas in preference order
 * @param adding     per partition index, replicas being added (absent: none)
 * @param removing   per partition index, replicas being removed (absent: none)
 */
public record TopicAssignment(UUID id, List<List<Integer>> replicas, Map<Integer, List<Integer>> adding,
                              Map<Integer, List<Integer>> removing) {

    public TopicAssignment {
        List<List<Integer>> copy = new ArrayList<>(replicas.size());
        for (List<Integer> r : replicas) {
            copy.add(List.copyOf(r));
        }
        replicas = List.copyOf(copy);
        adding = Map.copyOf(adding);
        removing = Map.copyOf(removing);
    }

    public static TopicAssignment of(UUID id, List<List<Integer>> replicas) {
        return new TopicAssignment(id, replicas, Map.of(), Map.of());
    }

    public int partitionCount() {
        return replicas.size();
    }

    /** The replicas a partition will have once its reassignment (if any) completes. */
    public List<Integer> targetReplicas(int partition) {
        List<Integer> removed = removing.getOrDefault(partition, List.of());
        List<Integer> target = new ArrayList<>(replicas.get(partition));
        target.removeAll(removed);
        return target;
    }

    public boolean reassigning(int partition) {
        return adding.containsKey(partition) || removing.containsKey(partition);
    }

    public byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 3);
        m.put("topic_id", ClusterIds.toString(id));
        m.put("partitions", byPartition(indexed(replicas)));
        m.put("adding_replicas", byPartition(adding));
        m.put("removing_replicas", byPartition(removing));
        return StoredJson.write(m);
    }

    public static TopicAssignment fromJson(byte[] data, String path) {
        Map<String, Object> m = StoredJson.read(data, path);
        UUID id;
        try {
            id = ClusterIds.fromString(StoredJson.stringField(m, "topic_id", path));
        } catch (IllegalArgumentException e) {
            throw StoredJson.corrupt(path, "bad topic_id");
        }
        Map<Integer, List<Integer>> parts = parse(StoredJson.mapField(m, "partitions", path), path);
        List<List<Integer>> replicas = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            List<Integer> r = parts.get(i);
            if (r == null || r.isEmpty()) {
                throw StoredJson.corrupt(path, "partition " + i + " has no replicas");
            }
            replicas.add(r);
        }
        return new TopicAssignment(id, replicas, parse(StoredJson.mapField(m, "adding_replicas", path), path),
                parse(StoredJson.mapField(m, "removing_replicas", path), path));
    }

    private static Map<Integer, List<Integer>> indexed(List<List<Integer>> lists) {
        Map<Integer, List<Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < lists.size(); i++) {
            m.put(i, lists.get(i));
        }
        return m;
    }

    private static Map<String, Object> byPartition(Map<Integer, List<Integer>> lists) {
        Map<String, Object> m = new LinkedHashMap<>();
        lists.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> m.put(Integer.toString(e.getKey()), e.getValue()));
        return m;
    }

    private static Map<Integer, List<Integer>> parse(Map<String, Object> raw, String path) {
        Map<Integer, List<Integer>> m = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            try {
                m.put(Integer.parseInt(e.getKey()), StoredJson.intList(e.getValue(), path));
            } catch (NumberFormatException x) {
                throw StoredJson.corrupt(path, "bad partition " + e.getKey());
            }
        }
        return m;
    }
}
