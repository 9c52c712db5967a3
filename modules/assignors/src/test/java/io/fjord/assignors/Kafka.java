package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.Node;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.consumer.PartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Fjord's inputs as the oracle's (Kafka's client classes) and both sides' results as comparable maps. */
final class Kafka {

    private Kafka() {
    }

    static org.apache.kafka.common.Node node(Node n) {
        return new org.apache.kafka.common.Node(n.id(), n.host(), n.port(), n.rack().orElse(null));
    }

    static org.apache.kafka.common.Cluster cluster(Cluster c) {
        List<org.apache.kafka.common.PartitionInfo> partitions = new ArrayList<>();
        for (String topic : c.topics()) {
            for (PartitionInfo p : c.partitionsForTopic(topic)) {
                partitions.add(new org.apache.kafka.common.PartitionInfo(topic, p.partition(),
                        p.leader().map(Kafka::node).orElse(null),
                        p.replicas().stream().map(Kafka::node).toArray(org.apache.kafka.common.Node[]::new),
                        p.inSyncReplicas().stream().map(Kafka::node).toArray(org.apache.kafka.common.Node[]::new)));
            }
        }
        return new org.apache.kafka.common.Cluster("fjord", c.nodes().stream().map(Kafka::node).toList(), partitions,
                Set.of(), Set.of());
    }

    static org.apache.kafka.common.TopicPartition tp(TopicPartition tp) {
        return new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition());
    }

    static TopicPartition fjord(org.apache.kafka.common.TopicPartition tp) {
        return new TopicPartition(tp.topic(), tp.partition());
    }

    static ConsumerPartitionAssignor.Subscription subscription(Subscription s) {
        ConsumerPartitionAssignor.Subscription k = new ConsumerPartitionAssignor.Subscription(s.topics(),
                s.userData() == null ? null : s.userData().duplicate(),
                s.ownedPartitions().stream().map(Kafka::tp).toList(), s.generationId().orElse(-1), s.rackId());
        k.setGroupInstanceId(s.groupInstanceId());
        return k;
    }

    /** Kafka's assignment, each member's partitions sorted. */
    static Map<String, List<TopicPartition>> assign(ConsumerPartitionAssignor assignor, Cluster cluster,
                                                    Map<String, Subscription> subscriptions) {
        Map<String, ConsumerPartitionAssignor.Subscription> subs = new HashMap<>();
        subscriptions.forEach((m, s) -> subs.put(m, subscription(s)));
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        assignor.assign(cluster(cluster), new ConsumerPartitionAssignor.GroupSubscription(subs)).groupAssignment()
                .forEach((m, a) -> result.put(m, a.partitions().stream().map(Kafka::fjord).sorted().toList()));
        return result;
    }

    /** Fjord's assignment in the same shape. */
    static Map<String, List<TopicPartition>> assign(PartitionAssignor assignor, Cluster cluster,
                                                    Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> result = new TreeMap<>();
        assignor.assign(cluster, new PartitionAssignor.GroupSubscription(subscriptions)).groupAssignment()
                .forEach((m, a) -> result.put(m, a.partitions().stream().sorted().toList()));
        return result;
    }
}
