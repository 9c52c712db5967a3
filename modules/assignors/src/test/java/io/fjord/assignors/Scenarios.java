package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.Node;
import io.fjord.api.PartitionInfo;
import io.fjord.api.consumer.PartitionAssignor.Subscription;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** Seeded random groups: topics of 0..N partitions on racked brokers, members with varied subscriptions. */
final class Scenarios {

    record Scenario(Cluster cluster, Map<String, Subscription> subscriptions, List<String> topics) {
    }

    private Scenarios() {
    }

    /** A cluster of {@code partitionCounts.length} topics {@code t0, t1, ...}; topics of 0 partitions do not exist. */
    static Cluster cluster(Random random, int[] partitionCounts, boolean racks) {
        List<Node> nodes = new ArrayList<>();
        int brokers = 1 + random.nextInt(4);
        for (int id = 0; id < brokers; id++) {
            nodes.add(new Node(id, "broker" + id, 9092,
                    racks && random.nextInt(5) > 0 ? Optional.of("rack" + random.nextInt(3)) : Optional.empty()));
        }
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int t = 0; t < partitionCounts.length; t++) {
            for (int p = 0; p < partitionCounts[t]; p++) {
                List<Node> replicas = new ArrayList<>(nodes);
                Collections.shuffle(replicas, random);
                replicas = replicas.subList(0, 1 + random.nextInt(replicas.size()));
                partitions.add(new PartitionInfo("t" + t, p, Optional.of(replicas.get(0)), replicas, replicas));
            }
        }
        return new Cluster("c", nodes, partitions);
    }

    static Scenario random(Random random, boolean identicalSubscriptions) {
        int topicCount = 1 + random.nextInt(6);
        int[] counts = new int[topicCount];
        List<String> topics = new ArrayList<>();
        for (int t = 0; t < topicCount; t++) {
            counts[t] = random.nextInt(13);
            topics.add("t" + t);
        }
        Cluster cluster = cluster(random, counts, random.nextBoolean());
        List<String> all = new ArrayList<>(topics);
        all.add("unknown");
        List<String> common = subset(random, all);
        Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        int members = 1 + random.nextInt(9);
        for (int i = 0; i < members; i++) {
            String member = "consumer-" + Integer.toHexString(random.nextInt(1 << 16)) + "-" + i;
            List<String> subscribed = identicalSubscriptions ? common
                    : random.nextInt(6) == 0 ? List.of() : subset(random, all);
            Optional<String> rack = random.nextInt(3) == 0 ? Optional.empty() : Optional.of("rack" + random.nextInt(3));
            Optional<String> instance = random.nextInt(3) == 0
                    ? Optional.of("instance-" + Integer.toHexString(random.nextInt(1 << 16)) + "-" + i) : Optional.empty();
            subscriptions.put(member, new Subscription(subscribed, null, List.of(), Optional.empty(), rack, instance));
        }
        return new Scenario(cluster, subscriptions, topics);
    }

    static List<String> subset(Random random, List<String> from) {
        List<String> chosen = new ArrayList<>();
        for (String s : from) {
            if (random.nextInt(3) > 0) {
                chosen.add(s);
            }
        }
        Collections.shuffle(chosen, random);
        return chosen;
    }
}
