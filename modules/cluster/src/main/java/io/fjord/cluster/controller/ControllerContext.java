package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.PartitionLeadership;
import io.fjord.cluster.state.BrokerRegistration;
import io.fjord.cluster.state.PartitionState;
import io.fjord.cluster.state.TopicAssignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The active controller's view of the cluster, loaded from the coordination store on election and
 * kept in step with every write the controller makes. Touched only by the controller's event
 * thread, so it needs no locks.
 *
 * <p>Invariants: every partition of a topic in {@code topics} either has a state in
 * {@code states} or is waiting for a live replica to be created with; {@code live} holds exactly
 * the registered brokers with the epochs of their registrations.
 */
final class ControllerContext {

    final Map<Integer, BrokerRegistration> live = new TreeMap<>();
    final Set<Integer> shuttingDown = new HashSet<>();
    final Map<String, TopicAssignment> topics = new TreeMap<>();
    final Map<TopicPartition, PartitionState> states = new HashMap<>();
    final Set<String> deleting = new HashSet<>();

    void clear() {
        live.clear();
        shuttingDown.clear();
        topics.clear();
        states.clear();
        deleting.clear();
    }

    Set<Integer> liveIds() {
        return live.keySet();
    }

    /** Live brokers that are not shutting down: the ones that may lead or join an ISR. */
    boolean eligible(int broker) {
        return live.containsKey(broker) && !shuttingDown.contains(broker);
    }

    List<Integer> replicas(TopicPartition tp) {
        return topics.get(tp.topic()).replicas().get(tp.partition());
    }

    /** Every partition of every topic, in topic then partition order. */
    List<TopicPartition> allPartitions() {
        List<TopicPartition> out = new ArrayList<>();
        topics.forEach((name, a) -> {
            for (int p = 0; p < a.partitionCount(); p++) {
                out.add(new TopicPartition(name, p));
            }
        });
        return out;
    }

    /** The partitions a broker holds a replica of. */
    List<TopicPartition> partitionsOn(int broker) {
        List<TopicPartition> out = new ArrayList<>();
        for (TopicPartition tp : allPartitions()) {
            if (replicas(tp).contains(broker)) {
                out.add(tp);
            }
        }
        return out;
    }

    /** The partition as brokers are told it, or null when it has no state yet. */
    PartitionLeadership leadership(TopicPartition tp, boolean isNew) {
        PartitionState state = states.get(tp);
        if (state == null) {
            return null;
        }
        TopicAssignment a = topics.get(tp.topic());
        return new PartitionLeadership(tp.topic(), a.id(), tp.partition(), state, a.replicas().get(tp.partition()),
                a.adding().getOrDefault(tp.partition(), List.of()),
                a.removing().getOrDefault(tp.partition(), List.of()), isNew);
    }
}
