package io.fjord.cluster.controller;

import io.fjord.api.TopicPartition;
import io.fjord.cluster.BrokerChannel;
import io.fjord.cluster.PartitionLeadership;
import io.fjord.cluster.state.BrokerRegistration;
import io.fjord.cluster.state.ConfigOverrides;
import io.fjord.cluster.state.PartitionState;
import io.fjord.cluster.state.TopicAssignment;
import io.fjord.common.errors.Errors;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.ControllerLease;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Versioned;
import io.fjord.controller.coordination.WatchScope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's controller, as Kafka's ZooKeeper-mode controller after KIP-497: every broker runs
 * one, one of them wins the election and becomes active, and the active one drives the cluster
 * state through a single event thread. It loads the state on election, then reacts to broker
 * registrations coming and going, topics created, grown and deleted, and the requests brokers and
 * admins send it (AlterPartition, ControlledShutdown, ElectLeaders, reassignments). Every change
 * is written to the coordination store under the controller's lease first and then told to the
 * brokers (LeaderAndIsr, UpdateMetadata, StopReplica).
 *
 * <p>Threading: all state is confined to the event thread; watches and the public methods only
 * enqueue events. A write that fails because another controller was elected (FENCED) makes this
 * one resign at once: a deposed controller never writes and stops telling brokers anything.
 */
public final class ClusterController implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterController.class.getName());

    private final int brokerId;
    private final CoordinationSession session;
    private final BrokerChannel channel;
    private final ControllerSettings settings;
    private final ReplicaPlacement placement;
    private final ExecutorService events;
    private final ControllerContext ctx = new ControllerContext();
    private final StateWriter writer;
    private final List<AutoCloseable> activeWatches = new ArrayList<>();
    private final Map<String, AutoCloseable> topicWatches = new HashMap<>();
    private final Reassignments reassignments;
    private final TopicEvents topics;
    private AutoCloseable controllerWatch;
    private ControllerLease lease;
    private volatile int activeEpoch = -1;
    private volatile boolean closed;

    public ClusterController(int brokerId, CoordinationSession session, BrokerChannel channel,
            ControllerSettings settings) {
        this.brokerId = brokerId;
        this.session = session;
        this.channel = channel;
        this.settings = settings;
        this.placement = new ReplicaPlacement(settings.random());
        this.writer = new StateWriter(session);
        this.reassignments = new Reassignments(this);
        this.topics = new TopicEvents(this);
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fjord-controller-event-" + brokerId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching the controller entry and runs for election. */
    public void startup() {
        controllerWatch = session.watch(ClusterPaths.CONTROLLER, WatchScope.DATA, () -> enqueue(this::elect));
        enqueue(this::elect);
    }

    /** Whether this broker is the active controller now. */
    public boolean isActive() {
        return activeEpoch >= 0;
    }

    /** The epoch of this controller while active, else -1. */
    public int activeEpoch() {
        return activeEpoch;
    }

    /** Re-runs for election, after the session was renewed (the old election died with the old session). */
    public void sessionRenewed() {
        enqueue(() -> {
            resign("the coordination session was renewed");
            elect();
        });
    }

    /** Stops being controller at once (the session expired: the election is gone with it). */
    public void sessionExpired() {
        enqueue(() -> resign("the coordination session expired"));
    }

    /** Gives up the controller role, if held, so another broker takes over now (controlled shutdown). */
    public void resign() {
        submit(() -> {
            if (lease != null) {
                ControllerLease held = lease;
                resign("this broker is shutting down");
                try {
                    session.resignController(held);
                } catch (CoordinationException e) {
                    LOG.log(Level.FINE, "Resigning the controller role failed", e);
                }
            }
            return null;
        }).join();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(controllerWatch);
        events.submit(() -> resign("the controller is closing"));
        events.shutdown();
        try {
            events.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
    }

    // ---- requests from brokers and admins; each answers NOT_CONTROLLER unless this one is active

    /** AlterPartition from a leader: see {@link PartitionRequests#alterPartition}. */
    public CompletableFuture<Map<TopicPartition, AlterPartitionResult>> alterPartition(int fromBroker, long brokerEpoch,
            Map<TopicPartition, AlterPartitionResult.Proposal> proposals) {
        return whenActive(() -> new PartitionRequests(this).alterPartition(fromBroker, brokerEpoch, proposals));
    }

    /** ControlledShutdown: moves leadership away from a stopping broker; answers the partitions it still leads. */
    public CompletableFuture<Set<TopicPartition>> controlledShutdown(int fromBroker, long brokerEpoch) {
        return whenActive(() -> new PartitionRequests(this).controlledShutdown(fromBroker, brokerEpoch));
    }

    /** ElectLeaders: preferred or unclean elections; null partitions means every partition. */
    public CompletableFuture<Map<TopicPartition, Errors>> electLeaders(ElectionType type, Set<TopicPartition> partitions) {
        return whenActive(() -> new PartitionRequests(this).electLeaders(type, partitions));
    }

    /** AlterPartitionReassignments: per partition a target replica list, or empty to cancel. */
    public CompletableFuture<Map<TopicPartition, ErrorAndMessage>> alterReassignments(
            Map<TopicPartition, Optional<List<Integer>>> targets) {
        return whenActive(() -> reassignments.alter(targets));
    }

    /** ListPartitionReassignments: those in progress, of the given partitions (null for all). */
    public CompletableFuture<Map<TopicPartition, OngoingReassignment>> listReassignments(Set<TopicPartition> partitions) {
        return whenActive(() -> reassignments.list(partitions));
    }

    /** Thrown through a request's future when this broker is not the active controller. */
    public static final class NotControllerException extends io.fjord.common.errors.ApiException {
        NotControllerException() {
            super(Errors.NOT_CONTROLLER, "This broker is not the active controller");
        }
    }

    // ---- the event loop

    private void enqueue(Runnable event) {
        if (closed) {
            return;
        }
        events.execute(() -> runEvent(() -> {
            event.run();
            return null;
        }));
    }

    private <T> CompletableFuture<T> submit(java.util.function.Supplier<T> event) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new NotControllerException());
            return future;
        }
        events.execute(() -> {
            try {
                future.complete(runEvent(event::get));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    private <T> CompletableFuture<T> whenActive(java.util.function.Supplier<T> event) {
        return submit(() -> {
            if (lease == null) {
                throw new NotControllerException();
            }
            return event.get();
        });
    }

    private <T> T runEvent(java.util.concurrent.Callable<T> event) {
        try {
            return event.call();
        } catch (CoordinationException e) {
            if (e.reason() == CoordinationException.Reason.FENCED) {
                resign("another controller was elected");
                enqueue(this::elect);
                throw new NotControllerException();
            }
            LOG.log(Level.WARNING, "A controller event failed on the coordination store; reloading the state", e);
            if (lease != null) {
                resign("the coordination store failed");
                enqueue(this::elect);
            }
            throw new NotControllerException();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- election and failover

    private void elect() {
        if (closed) {
            return;
        }
        OptionalInt active = session.activeController();
        if (lease != null) {
            if (active.isPresent() && active.getAsInt() == brokerId) {
                return;
            }
            resign("the controller entry changed");
        }
        if (active.isPresent()) {
            return;
        }
        Optional<ControllerLease> won = session.tryElectController(brokerId);
        if (won.isEmpty()) {
            return;
        }
        lease = won.get();
        LOG.info("Broker " + brokerId + " is the controller, epoch " + lease.epoch());
        onFailover();
        activeEpoch = lease.epoch();
    }

    private void resign(String why) {
        if (lease == null) {
            return;
        }
        LOG.info("Broker " + brokerId + " stops being the controller (epoch " + lease.epoch() + "): " + why);
        lease = null;
        activeEpoch = -1;
        activeWatches.forEach(ClusterController::closeQuietly);
        activeWatches.clear();
        topicWatches.values().forEach(ClusterController::closeQuietly);
        topicWatches.clear();
        ctx.clear();
    }

    /** Kafka's onControllerFailover: load, tell every broker, then elect what needs a leader and resume work. */
    private void onFailover() {
        ctx.clear();
        activeWatches.add(session.watch(ClusterPaths.BROKER_IDS, WatchScope.CHILDREN, () -> enqueue(this::onBrokerChange)));
        activeWatches.add(session.watch(ClusterPaths.TOPICS, WatchScope.CHILDREN, () -> enqueue(topics::onTopicChange)));
        activeWatches.add(session.watch(ClusterPaths.DELETE_TOPICS, WatchScope.CHILDREN,
                () -> enqueue(topics::onTopicDeletion)));
        ctx.live.putAll(readBrokers());
        for (String topic : session.children(ClusterPaths.TOPICS)) {
            loadTopic(topic);
        }
        RequestBatch batch = new RequestBatch();
        fullStateTo(ctx.liveIds(), batch);
        Map<TopicPartition, PartitionState> changes = new LinkedHashMap<>();
        List<TopicPartition> fresh = repairs(changes);
        writer.write(lease, ctx, changes);
        topics.initialize(fresh, batch);
        for (TopicPartition tp : ctx.allPartitions()) {
            PartitionLeadership p = ctx.leadership(tp, false);
            if (p != null) {
                batch.leaderAndIsr(p.replicas(), p);
            }
        }
        flush(batch);
        topics.onTopicDeletion();
        reassignments.resume();
    }

    /** Marks the next requests to {@code brokers} as carrying the whole state, not changes. */
    private static void fullStateTo(Collection<Integer> brokers, RequestBatch batch) {
        for (int b : brokers) {
            batch.fullMetadata(b);
            batch.fullLeaderAndIsr(b);
        }
    }

    /**
     * What partitions need after the controller could not watch (a failover) or a broker came
     * back: a partition whose leader is gone gets one, a follower that died leaves the ISR, and a
     * partition still without a state is returned, to be created once a replica lives.
     */
    private List<TopicPartition> repairs(Map<TopicPartition, PartitionState> changes) {
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition tp : ctx.allPartitions()) {
            PartitionState s = ctx.states.get(tp);
            if (s == null) {
                fresh.add(tp);
            } else if (!ctx.live.containsKey(s.leader())) {
                electOffline(tp, s).ifPresent(n -> changes.put(tp, n));
            } else if (s.isr().size() > 1 && !ctx.live.keySet().containsAll(s.isr())) {
                changes.put(tp, s.withLeader(s.leader(), s.isr().stream().filter(ctx.live::containsKey).toList(),
                        lease.epoch()));
            }
        }
        return fresh;
    }

    private Map<Integer, BrokerRegistration> readBrokers() {
        Map<Integer, BrokerRegistration> out = new LinkedHashMap<>();
        for (String child : session.children(ClusterPaths.BROKER_IDS)) {
            int id;
            try {
                id = Integer.parseInt(child);
            } catch (NumberFormatException e) {
                continue;
            }
            String path = ClusterPaths.broker(id);
            Optional<Versioned> v = session.read(path);
            v.ifPresent(x -> out.put(id, BrokerRegistration.fromJson(id, x.creationStamp(), x.data(), path)));
        }
        return out;
    }

    void loadTopic(String topic) {
        String path = ClusterPaths.topic(topic);
        Optional<Versioned> v = session.read(path);
        if (v.isEmpty()) {
            return;
        }
        TopicAssignment a = TopicAssignment.fromJson(v.get().data(), path);
        ctx.topics.put(topic, a);
        for (int p = 0; p < a.partitionCount(); p++) {
            String statePath = ClusterPaths.partitionState(topic, p);
            int partition = p;
            session.read(statePath).ifPresent(s -> ctx.states.put(new TopicPartition(topic, partition),
                    PartitionState.fromJson(s.data(), s.version(), statePath)));
        }
        topicWatches.computeIfAbsent(topic, t -> session.watch(ClusterPaths.topic(t), WatchScope.DATA,
                () -> enqueue(() -> topics.onPartitionModification(t))));
    }

    // ---- broker membership

    private void onBrokerChange() {
        if (lease == null) {
            return;
        }
        Map<Integer, BrokerRegistration> now = readBrokers();
        Set<Integer> dead = new TreeSet<>();
        Set<Integer> born = new TreeSet<>();
        for (Map.Entry<Integer, BrokerRegistration> e : ctx.live.entrySet()) {
            BrokerRegistration current = now.get(e.getKey());
            if (current == null || current.epoch() != e.getValue().epoch()) {
                dead.add(e.getKey());
            }
        }
        for (Map.Entry<Integer, BrokerRegistration> e : now.entrySet()) {
            BrokerRegistration known = ctx.live.get(e.getKey());
            if (known == null || known.epoch() != e.getValue().epoch()) {
                born.add(e.getKey());
            }
        }
        if (dead.isEmpty() && born.isEmpty()) {
            return;
        }
        LOG.info("Brokers changed: failed " + dead + ", started " + born);
        RequestBatch batch = new RequestBatch();
        dead.forEach(ctx.live::remove);
        ctx.shuttingDown.removeAll(dead);
        if (!dead.isEmpty()) {
            onBrokersFailed(dead, batch);
        }
        born.forEach(b -> ctx.live.put(b, now.get(b)));
        if (!born.isEmpty()) {
            onBrokersStarted(born, batch);
        }
        batch.brokersChanged();
        flush(batch);
    }

    private void onBrokersFailed(Set<Integer> dead, RequestBatch batch) {
        Map<TopicPartition, PartitionState> changes = new LinkedHashMap<>();
        for (TopicPartition tp : ctx.allPartitions()) {
            PartitionState s = ctx.states.get(tp);
            if (s == null) {
                continue;
            }
            if (dead.contains(s.leader())) {
                electOffline(tp, s).ifPresent(n -> changes.put(tp, n));
            } else if (s.isr().stream().anyMatch(dead::contains) && s.isr().size() > 1) {
                changes.put(tp, s.withLeader(s.leader(), without(s.isr(), dead), lease.epoch()));
            }
        }
        writeAndTell(changes, batch);
    }

    private void onBrokersStarted(Set<Integer> born, RequestBatch batch) {
        fullStateTo(born, batch);
        Map<TopicPartition, PartitionState> changes = new LinkedHashMap<>();
        List<TopicPartition> fresh = repairs(changes);
        writeAndTell(changes, batch);
        topics.initialize(fresh, batch);
        for (int b : born) {
            for (TopicPartition tp : ctx.partitionsOn(b)) {
                PartitionLeadership p = ctx.leadership(tp, false);
                if (p != null) {
                    batch.leaderAndIsr(List.of(b), p);
                }
            }
        }
    }

    /** The state after electing a leader for a partition whose leader is gone; empty if nothing changes. */
    Optional<PartitionState> electOffline(TopicPartition tp, PartitionState s) {
        List<Integer> replicas = ctx.replicas(tp);
        Set<Integer> eligible = new HashSet<>(ctx.liveIds());
        eligible.removeAll(ctx.shuttingDown);
        OptionalInt leader = LeaderElection.offline(replicas, s.isr(), eligible, false);
        if (leader.isEmpty() && s.isr().stream().noneMatch(eligible::contains) && uncleanAllowed(tp.topic())) {
            leader = LeaderElection.offline(replicas, s.isr(), eligible, true);
            if (leader.isPresent()) {
                LOG.warning("Unclean election of broker " + leader.getAsInt() + " for " + tp + ": records acknowledged by "
                        + "the previous ISR " + s.isr() + " and not on the new leader are lost");
                return Optional.of(new PartitionState(leader.getAsInt(), s.leaderEpoch() + 1, List.of(leader.getAsInt()),
                        lease.epoch(), s.partitionEpoch(), true));
            }
        }
        if (leader.isPresent()) {
            List<Integer> isr = s.isr().stream().filter(eligible::contains).toList();
            return Optional.of(s.withLeader(leader.getAsInt(), isr, lease.epoch()));
        }
        if (s.leader() == PartitionState.NO_LEADER) {
            return Optional.empty();
        }
        // No eligible leader: the partition goes offline. The last ISR member stays in the ISR so
        // that it can lead again when it comes back (as Kafka keeps it).
        List<Integer> isr = s.isr().size() > 1 ? s.isr().stream().filter(eligible::contains).toList() : s.isr();
        LOG.warning("No eligible leader for " + tp + " (ISR " + s.isr() + "): the partition is offline");
        return Optional.of(new PartitionState(PartitionState.NO_LEADER, s.leaderEpoch() + 1,
                isr.isEmpty() ? s.isr() : isr, lease.epoch(), s.partitionEpoch(), false));
    }

    private boolean uncleanAllowed(String topic) {
        String path = ClusterPaths.topicConfig(topic);
        String value = session.read(path).map(v -> ConfigOverrides.fromJson(v.data(), path))
                .map(m -> m.get("unclean.leader.election.enable")).orElse(null);
        return value != null ? Boolean.parseBoolean(value.trim()) : settings.uncleanLeaderElection();
    }

    // ---- shared by the request handlers

    ControllerContext context() {
        return ctx;
    }

    ControllerLease lease() {
        return lease;
    }

    CoordinationSession session() {
        return session;
    }

    StateWriter writer() {
        return writer;
    }

    /** Stops watching a topic that is gone. */
    void unwatchTopic(String topic) {
        closeQuietly(topicWatches.remove(topic));
    }

    ReplicaPlacement placement() {
        return placement;
    }

    Reassignments reassignments() {
        return reassignments;
    }

    /** Stores the changed states and tells the partitions' replicas (LeaderAndIsr) and every broker. */
    void writeAndTell(Map<TopicPartition, PartitionState> changes, RequestBatch batch) {
        writer.write(lease, ctx, changes);
        for (TopicPartition tp : changes.keySet()) {
            PartitionLeadership p = ctx.leadership(tp, false);
            batch.leaderAndIsr(p.replicas(), p);
        }
    }

    /** Stores the changed states and tells every broker their metadata only (an ISR change the leader asked for). */
    void writeAndPublish(Map<TopicPartition, PartitionState> changes, RequestBatch batch) {
        writer.write(lease, ctx, changes);
        for (TopicPartition tp : changes.keySet()) {
            batch.updateMetadata(ctx.leadership(tp, false));
        }
    }

    void flush(RequestBatch batch) {
        if (lease != null && !batch.isEmpty()) {
            batch.send(ctx, brokerId, lease.epoch(), channel);
        }
    }

    static List<Integer> without(Collection<Integer> list, Collection<Integer> remove) {
        return list.stream().filter(x -> !remove.contains(x)).toList();
    }

    static <K, V> Map<K, V> mapOf(Collection<K> keys, Function<K, V> f) {
        Map<K, V> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k, f.apply(k)));
        return out;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Closing a watch failed", e);
        }
    }
}
