package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.state.PartitionState;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.ControllerLease;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes partition states for the controller: fenced by its lease, conditional on the partition
 * epoch it last read (so a state changed behind its back is never overwritten), in atomic chunks
 * small enough for the store's request limit, and only then applied to the context.
 */
final class StateWriter {

    /** Partition states per atomic write: a few hundred bytes each, well under ZooKeeper's 1 MiB request limit. */
    private static final int CHUNK = 200;

    private final CoordinationSession session;

    StateWriter(CoordinationSession session) {
        this.session = session;
    }

    /**
     * Stores the new states and records them, with their new partition epochs, in the context.
     * A partition without a current state in the context is created.
     */
    void write(ControllerLease lease, ControllerContext ctx, Map<TopicPartition, PartitionState> changes) {
        List<Map.Entry<TopicPartition, PartitionState>> entries = new ArrayList<>(changes.entrySet());
        for (int from = 0; from < entries.size(); from += CHUNK) {
            List<Map.Entry<TopicPartition, PartitionState>> chunk = entries.subList(from,
                    Math.min(entries.size(), from + CHUNK));
            List<Op> ops = new ArrayList<>(chunk.size());
            for (Map.Entry<TopicPartition, PartitionState> e : chunk) {
                TopicPartition tp = e.getKey();
                String path = ClusterPaths.partitionState(tp.topic(), tp.partition());
                PartitionState current = ctx.states.get(tp);
                ops.add(current == null
                        ? new Op.Create(path, e.getValue().toJson())
                        : new Op.SetData(path, e.getValue().toJson(), current.partitionEpoch()));
            }
            session.write(lease, ops);
            for (Map.Entry<TopicPartition, PartitionState> e : chunk) {
                PartitionState current = ctx.states.get(e.getKey());
                int version = current == null ? 0 : current.partitionEpoch() + 1;
                PartitionState s = e.getValue();
                ctx.states.put(e.getKey(), new PartitionState(s.leader(), s.leaderEpoch(), s.isr(),
                        s.controllerEpoch(), version, s.recovering()));
            }
        }
    }
}
