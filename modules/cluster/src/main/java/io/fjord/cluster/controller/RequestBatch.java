package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.BrokerChannel;
import io.fjord.cluster.ControllerRequest;
import io.fjord.cluster.PartitionLeadership;
import io.fjord.cluster.state.BrokerRegistration;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The requests one controller event owes brokers, gathered while the event runs and sent at its
 * end in Kafka's order: LeaderAndIsr, then UpdateMetadata, then StopReplica. A partition told to its
 * replicas with LeaderAndIsr is told to every live broker with UpdateMetadata too, so metadata
 * never lags leadership.
 */
final class RequestBatch {

    private final Map<Integer, Map<TopicPartition, PartitionLeadership>> leaderAndIsr = new TreeMap<>();
    private final Set<Integer> fullLeaderAndIsr = new HashSet<>();
    private final Map<TopicPartition, PartitionLeadership> metadata = new LinkedHashMap<>();
    private final Set<Integer> fullMetadata = new HashSet<>();
    private boolean brokersChanged;
    private final Map<Integer, Map<TopicPartition, Integer>> stopAndDelete = new TreeMap<>();
    private final Map<Integer, Map<TopicPartition, Integer>> stop = new TreeMap<>();

    /** Tells {@code brokers} (those live) the partition's leadership, and every live broker its metadata. */
    void leaderAndIsr(Collection<Integer> brokers, PartitionLeadership p) {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        for (int b : brokers) {
            leaderAndIsr.computeIfAbsent(b, x -> new LinkedHashMap<>()).put(tp, p);
        }
        metadata.put(tp, p);
    }

    /** Marks the LeaderAndIsr to {@code broker} as the full list of its partitions. */
    void fullLeaderAndIsr(int broker) {
        fullLeaderAndIsr.add(broker);
        leaderAndIsr.computeIfAbsent(broker, x -> new LinkedHashMap<>());
    }

    /** Tells every live broker the partition's new metadata (or, for a deleted one, that it is gone). */
    void updateMetadata(PartitionLeadership p) {
        metadata.put(new TopicPartition(p.topic(), p.partition()), p);
    }

    /** Sends every live broker an UpdateMetadata with the live brokers, even with no partition in it. */
    void brokersChanged() {
        brokersChanged = true;
    }

    /** Sends {@code broker} the whole metadata rather than the changes. */
    void fullMetadata(int broker) {
        fullMetadata.add(broker);
    }

    void stopReplica(int broker, TopicPartition tp, int leaderEpoch, boolean delete) {
        (delete ? stopAndDelete : stop).computeIfAbsent(broker, x -> new LinkedHashMap<>()).put(tp, leaderEpoch);
    }

    boolean isEmpty() {
        return leaderAndIsr.isEmpty() && metadata.isEmpty() && fullMetadata.isEmpty() && !brokersChanged
                && stop.isEmpty() && stopAndDelete.isEmpty();
    }

    void send(ControllerContext ctx, int controllerId, int controllerEpoch, BrokerChannel channel) {
        List<BrokerRegistration> liveBrokers = List.copyOf(ctx.live.values());
        leaderAndIsr.forEach((b, parts) -> {
            BrokerRegistration broker = ctx.live.get(b);
            if (broker != null) {
                List<BrokerRegistration> leaders = new ArrayList<>();
                parts.values().stream().map(p -> ctx.live.get(p.state().leader())).filter(x -> x != null)
                        .distinct().forEach(leaders::add);
                channel.send(broker, new ControllerRequest.LeaderAndIsr(controllerId, controllerEpoch, broker.epoch(),
                        fullLeaderAndIsr.contains(b), List.copyOf(parts.values()), leaders));
            }
        });
        if (!metadata.isEmpty() || brokersChanged || !fullMetadata.isEmpty()) {
            List<PartitionLeadership> all = null;
            for (BrokerRegistration broker : liveBrokers) {
                boolean full = fullMetadata.contains(broker.id());
                if (full && all == null) {
                    all = new ArrayList<>();
                    for (TopicPartition tp : ctx.allPartitions()) {
                        PartitionLeadership p = ctx.leadership(tp, false);
                        if (p != null) {
                            all.add(p);
                        }
                    }
                }
                if (full || !metadata.isEmpty() || brokersChanged) {
                    channel.send(broker, new ControllerRequest.UpdateMetadata(controllerId, controllerEpoch,
                            broker.epoch(), full, liveBrokers, full ? all : List.copyOf(metadata.values())));
                }
            }
        }
        sendStops(ctx, controllerId, controllerEpoch, channel, stop, false);
        sendStops(ctx, controllerId, controllerEpoch, channel, stopAndDelete, true);
    }

    private static void sendStops(ControllerContext ctx, int controllerId, int controllerEpoch, BrokerChannel channel,
            Map<Integer, Map<TopicPartition, Integer>> stops, boolean delete) {
        stops.forEach((b, parts) -> {
            BrokerRegistration broker = ctx.live.get(b);
            if (broker != null) {
                channel.send(broker, new ControllerRequest.StopReplica(controllerId, controllerEpoch, broker.epoch(),
                        delete, List.copyOf(parts.keySet()), List.copyOf(parts.values())));
            }
        });
    }
}
