package io.fjord.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import io.fjord.api.TopicPartition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON files of Kafka's reassignment and election tools: topics to move
 * ({@code {"version":1,"topics":[{"topic":"t"}]}}), a reassignment
 * ({@code {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any","any"]}]}})
 * and partitions to elect ({@code {"partitions":[{"topic":"t","partition":0}]}}). Bad input is an
 * {@link IllegalArgumentException} whose message says what is wrong.
 */
final class PartitionsJson {

    private PartitionsJson() {
    }

    static List<String> topicsToMove(String text) {
        List<String> topics = new ArrayList<>();
        for (Map<String, Object> entry : objects(parse(text), "topics")) {
            String topic = string(entry, "topic");
            if (!topics.contains(topic)) {
                topics.add(topic);
            }
        }
        return topics;
    }

    /** The target replicas of each partition, in the file's order. */
    static Map<TopicPartition, List<Integer>> reassignment(String text) {
        Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
        for (Map<String, Object> entry : objects(parse(text), "partitions")) {
            TopicPartition tp = new TopicPartition(string(entry, "topic"), integer(entry, "partition"));
            List<Integer> replicas = integers(entry, "replicas");
            if (replicas.isEmpty()) {
                throw new IllegalArgumentException("Partition replica list cannot be empty for " + tp);
            }
            if (new LinkedHashSet<>(replicas).size() != replicas.size()) {
                throw new IllegalArgumentException("Duplicate replica assignment(s) found in " + tp + ": " + replicas);
            }
            Object dirs = entry.get("log_dirs");
            if (dirs instanceof List<?> list && list.size() != replicas.size()) {
                throw new IllegalArgumentException("Size of replicas list " + replicas + " is different from size of log dirs list "
                        + list + " for partition " + tp);
            }
            if (targets.put(tp, replicas) != null) {
                throw new IllegalArgumentException("Reassignment data contains duplicate partitions: " + tp);
            }
        }
        return targets;
    }

    static Set<TopicPartition> electionPartitions(String text) {
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        for (Map<String, Object> entry : objects(parse(text), "partitions")) {
            TopicPartition tp = new TopicPartition(string(entry, "topic"), integer(entry, "partition"));
            if (!partitions.add(tp)) {
                throw new IllegalArgumentException("Replica election data contains duplicate partitions: " + tp);
            }
        }
        return partitions;
    }

    /** Kafka's reassignment JSON, on one line, each replica's log dir "any". */
    static String reassignmentJson(Map<TopicPartition, List<Integer>> assignment) {
        List<Map<String, Object>> partitions = new ArrayList<>();
        assignment.forEach((tp, replicas) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("topic", tp.topic());
            entry.put("partition", tp.partition());
            entry.put("replicas", replicas);
            entry.put("log_dirs", replicas.stream().map(r -> "any").toList());
            partitions.add(entry);
        });
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("partitions", partitions);
        try {
            return JSON.std.asString(root);
        } catch (IOException e) {
            throw new IllegalStateException("Maps of strings and numbers always serialize", e);
        }
    }

    private static Map<String, Object> parse(String text) {
        try {
            Map<String, Object> root = JSON.std.mapFrom(text);
            if (root == null) {
                throw new IllegalArgumentException("The JSON file is empty");
            }
            return root;
        } catch (IOException e) {
            throw new IllegalArgumentException("Invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Map<String, Object> root, String field) {
        if (!(root.get(field) instanceof List<?> list)) {
            throw new IllegalArgumentException("The JSON has no \"" + field + "\" array");
        }
        for (Object item : list) {
            if (!(item instanceof Map)) {
                throw new IllegalArgumentException("Every entry of \"" + field + "\" must be an object, not " + item);
            }
        }
        return (List<Map<String, Object>>) list;
    }

    private static String string(Map<String, Object> entry, String field) {
        if (!(entry.get(field) instanceof String value) || value.isEmpty()) {
            throw new IllegalArgumentException("Entry " + entry + " has no \"" + field + "\" string");
        }
        return value;
    }

    private static int integer(Map<String, Object> entry, String field) {
        if (!(entry.get(field) instanceof Integer value) || value < 0) {
            throw new IllegalArgumentException("Entry " + entry + " has no \"" + field + "\" number (0 or more)");
        }
        return value;
    }

    private static List<Integer> integers(Map<String, Object> entry, String field) {
        if (!(entry.get(field) instanceof List<?> list) || !list.stream().allMatch(Integer.class::isInstance)) {
            throw new IllegalArgumentException("Entry " + entry + " has no \"" + field + "\" array of broker ids");
        }
        return list.stream().map(Integer.class::cast).toList();
    }
}
