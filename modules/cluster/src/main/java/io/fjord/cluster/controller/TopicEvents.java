package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.PartitionLeadership;
import io.fjord.cluster.state.PartitionState;
import io.fjord.cluster.state.TopicAssignment;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.controller.coordination.Versioned;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * The controller's topic events, on its event thread: topics created (their partitions get a
 * leader and an ISR), partitions added, and topics deleted (every replica stopped and deleted,
 * then the topic's entries removed, so a new controller can finish a deletion its predecessor
 * left).
 */
final class TopicEvents {

    private static final Logger LOG = Logger.getLogger(TopicEvents.class.getName());

    private final ClusterController controller;
    private final ControllerContext ctx;
    private final CoordinationSession session;

    TopicEvents(ClusterController controller) {
        this.controller = controller;
        this.ctx = controller.context();
        this.session = controller.session();
    }

    void onTopicChange() {
        if (controller.lease() == null) {
            return;
        }
        Set<String> names = new TreeSet<>(session.children(ClusterPaths.TOPICS));
        RequestBatch batch = new RequestBatch();
        for (String t : names) {
            if (!ctx.topics.containsKey(t)) {
                controller.loadTopic(t);
                TopicAssignment a = ctx.topics.get(t);
                if (a != null) {
                    List<TopicPartition> fresh = new ArrayList<>();
                    for (int p = 0; p < a.partitionCount(); p++) {
                        TopicPartition tp = new TopicPartition(t, p);
                        if (!ctx.states.containsKey(tp)) {
                            fresh.add(tp);
                        }
                    }
                    initialize(fresh, batch);
                }
            }
        }
        for (String t : new ArrayList<>(ctx.topics.keySet())) {
            if (!names.contains(t)) {
                forgetTopic(t, batch);
            }
        }
        controller.flush(batch);
    }

    void onPartitionModification(String topic) {
        if (controller.lease() == null || !ctx.topics.containsKey(topic) || ctx.deleting.contains(topic)) {
            return;
        }
        String path = ClusterPaths.topic(topic);
        Optional<Versioned> v = session.read(path);
        if (v.isEmpty()) {
            return;
        }
        TopicAssignment stored = TopicAssignment.fromJson(v.get().data(), path);
        TopicAssignment known = ctx.topics.get(topic);
        if (stored.partitionCount() <= known.partitionCount()) {
            return;
        }
        List<List<Integer>> replicas = new ArrayList<>(known.replicas());
        replicas.addAll(stored.replicas().subList(known.partitionCount(), stored.partitionCount()));
        ctx.topics.put(topic, new TopicAssignment(known.id(), replicas, known.adding(), known.removing()));
        List<TopicPartition> fresh = new ArrayList<>();
        for (int p = known.partitionCount(); p < stored.partitionCount(); p++) {
            fresh.add(new TopicPartition(topic, p));
        }
        RequestBatch batch = new RequestBatch();
        initialize(fresh, batch);
        controller.flush(batch);
    }

    /** New partitions: the first live replica leads, the live replicas are the ISR. */
    void initialize(List<TopicPartition> partitions, RequestBatch batch) {
        Map<TopicPartition, PartitionState> created = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            List<Integer> live = ctx.replicas(tp).stream().filter(ctx::eligible).toList();
            if (live.isEmpty()) {
                LOG.warning("No live replica to create " + tp + " with; it waits for one of " + ctx.replicas(tp));
                continue;
            }
            created.put(tp, new PartitionState(live.get(0), 0, live, controller.lease().epoch(), 0, false));
        }
        controller.writer().write(controller.lease(), ctx, created);
        for (TopicPartition tp : created.keySet()) {
            PartitionLeadership p = ctx.leadership(tp, true);
            batch.leaderAndIsr(p.replicas(), p);
        }
    }

    void onTopicDeletion() {
        if (controller.lease() == null) {
            return;
        }
        for (String topic : session.children(ClusterPaths.DELETE_TOPICS)) {
            TopicAssignment a = ctx.topics.get(topic);
            List<Op> ops = new ArrayList<>();
            RequestBatch batch = new RequestBatch();
            if (a != null) {
                ctx.deleting.add(topic);
                for (int p = 0; p < a.partitionCount(); p++) {
                    TopicPartition tp = new TopicPartition(topic, p);
                    PartitionState s = ctx.states.get(tp);
                    for (int r : a.replicas().get(p)) {
                        batch.stopReplica(r, tp, s == null ? 0 : s.leaderEpoch() + 1, true);
                    }
                    addDeleteIfPresent(ops, ClusterPaths.partitionState(topic, p));
                    addDeleteIfPresent(ops, ClusterPaths.partition(topic, p));
                }
                addDeleteIfPresent(ops, ClusterPaths.partitions(topic));
                addDeleteIfPresent(ops, ClusterPaths.topic(topic));
                addDeleteIfPresent(ops, ClusterPaths.topicConfig(topic));
            }
            ops.add(new Op.Delete(ClusterPaths.deleteTopic(topic), Op.ANY_VERSION));
            session.write(controller.lease(), ops);
            if (a != null) {
                LOG.info("Deleted topic " + topic);
                forgetTopic(topic, batch);
            }
            controller.flush(batch);
        }
    }

    private void addDeleteIfPresent(List<Op> ops, String path) {
        if (session.read(path).isPresent()) {
            ops.add(new Op.Delete(path, Op.ANY_VERSION));
        }
    }

    private void forgetTopic(String topic, RequestBatch batch) {
        TopicAssignment a = ctx.topics.remove(topic);
        ctx.deleting.remove(topic);
        controller.unwatchTopic(topic);
        if (a == null) {
            return;
        }
        for (int p = 0; p < a.partitionCount(); p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            PartitionState s = ctx.states.remove(tp);
            int epoch = s == null ? 0 : s.leaderEpoch();
            batch.updateMetadata(new PartitionLeadership(topic, a.id(), p,
                    new PartitionState(PartitionLeadership.LEADER_DURING_DELETE, epoch, List.of(), controller.lease().epoch(), 0,
                            false), a.replicas().get(p), List.of(), List.of(), false));
        }
    }
}
