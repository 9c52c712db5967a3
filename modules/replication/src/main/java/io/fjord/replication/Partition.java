package io.fjord.replication;

import io.fjord.api.TopicPartition;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.log.EpochEndOffset;
import io.fjord.log.FileSlice;
import io.fjord.log.LogAppendInfo;
import io.fjord.log.PartitionLog;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * One partition hosted by this broker, as its leader or as a follower: its log, its leader epoch,
 * its in-sync replicas, its high watermark and, while it leads, what each follower has fetched.
 *
 * <p>Invariants: {@code logStartOffset <= highWatermark <= logEndOffset}. While leader, the ISR
 * holds this node and the high watermark is the smallest log end offset over the maximal ISR (the
 * committed ISR plus a pending expansion, see {@link IsrState}) and over the followers that are
 * caught up and about to join; it never moves back. A follower refuses appends and consumer reads
 * with NOT_LEADER_OR_FOLLOWER; its high watermark is min(leader's, own log end offset), set by
 * its fetcher.
 *
 * <p>Thread safety: leadership and ISR changes take the write lock of {@link #leaderIsrLock};
 * appends and follower fetches take its read lock, so no append lands under an epoch this broker
 * has just left, and a leadership change waits for the appends in flight. Reads for consumers are
 * lock-free. The role is one volatile reference, replaced whole.
 */
public final class Partition {

    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final int nodeId;
    private final Time time;
    private final ReplicationSettings settings;
    private final AlterPartitionSender alterPartition;
    private final ReplicaEligibility eligibility;
    private final Consumer<TopicPartition> onHighWatermarkMoved;
    private final ReentrantReadWriteLock leaderIsrLock = new ReentrantReadWriteLock();
    /** The followers' fetch state while this broker leads; replaced at each leadership. */
    private final Map<Integer, FollowerState> followers = new ConcurrentHashMap<>();
    private volatile Role role;
    private volatile int minInsyncReplicas;
    /** The log end offset when this broker became leader: a follower joins the ISR only past it. */
    private volatile long leaderEpochStartOffset;

    /**
     * The partition's leadership as this broker last applied it.
     *
     * @param leaderId the leader's broker id (this node when leader)
     * @param partitionEpoch the controller's version of the partition state, sent back in AlterPartition
     * @param replicas the assigned replicas
     */
    private record Role(boolean leader, int leaderId, int leaderEpoch, int partitionEpoch, List<Integer> replicas,
                        IsrState isr) {
    }

    /**
     * A leader of its own, with no followers: what a single broker runs.
     *
     * @param nodeId this broker, the leader and only in-sync replica
     * @param leaderEpoch the epoch stamped into every appended batch
     * @param minInsyncReplicas the topic's {@code min.insync.replicas}
     */
    public Partition(TopicPartition topicPartition, PartitionLog log, int nodeId, int leaderEpoch,
            int minInsyncReplicas) {
        this(topicPartition, log, nodeId, minInsyncReplicas, Time.SYSTEM, ReplicationSettings.defaults(),
                AlterPartitionSender.NONE, ReplicaEligibility.ALL, tp -> { });
        makeLeader(leaderEpoch, 0, List.of(nodeId), List.of(nodeId));
    }

    /** A partition with no role yet: {@link #makeLeader} or {@link #makeFollower} gives it one. */
    Partition(TopicPartition topicPartition, PartitionLog log, int nodeId, int minInsyncReplicas, Time time,
            ReplicationSettings settings, AlterPartitionSender alterPartition, ReplicaEligibility eligibility,
            Consumer<TopicPartition> onHighWatermarkMoved) {
        this.topicPartition = topicPartition;
        this.log = log;
        this.nodeId = nodeId;
        this.time = time;
        this.settings = settings;
        this.alterPartition = alterPartition;
        this.eligibility = eligibility;
        this.onHighWatermarkMoved = onHighWatermarkMoved;
        this.minInsyncReplicas = minInsyncReplicas;
        this.role = new Role(false, -1, -1, -1, List.of(), IsrState.committed(List.of()));
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public PartitionLog log() {
        return log;
    }

    public int leaderEpoch() {
        return role.leaderEpoch();
    }

    /** The leader's broker id as this broker knows it, or -1. */
    public int leaderId() {
        return role.leaderId();
    }

    public int partitionEpoch() {
        return role.partitionEpoch();
    }

    /** Whether this broker leads the partition. */
    public boolean isLeader() {
        return role.leader();
    }

    /** The committed in-sync replicas. */
    public List<Integer> inSyncReplicas() {
        return role.isr().isr();
    }

    /** The committed ISR plus a pending expansion: the replicas the high watermark waits for. */
    public List<Integer> maximalIsr() {
        return role.isr().maximal();
    }

    public List<Integer> assignedReplicas() {
        return role.replicas();
    }

    public int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    /** Applies a changed {@code min.insync.replicas} to later appends. */
    public void updateMinInsyncReplicas(int value) {
        this.minInsyncReplicas = value;
    }

    /**
     * Kafka's effective minimum: {@code min.insync.replicas} capped by the replication factor, so
     * a topic with fewer replicas than the setting still takes acks=all writes when all are in sync.
     */
    private int effectiveMinIsr(Role r) {
        return Math.min(minInsyncReplicas, Math.max(1, r.replicas().size()));
    }

    public long highWatermark() {
        return log.highWatermark();
    }

    /** Without transactions the last stable offset is the high watermark. */
    public long lastStableOffset() {
        return log.highWatermark();
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    // ---- leadership

    /**
     * Becomes the leader at {@code leaderEpoch} with the ISR the controller chose. A new epoch
     * starts at the log end offset; the followers' states start over, those in the ISR counted as
     * caught up now so none is dropped before it could fetch.
     *
     * @return whether this broker was not already the leader at this epoch
     */
    public boolean makeLeader(int leaderEpoch, int partitionEpoch, List<Integer> replicas, List<Integer> isr) {
        leaderIsrLock.writeLock().lock();
        try {
            Role before = role;
            boolean newLeadership = !before.leader() || before.leaderEpoch() != leaderEpoch;
            List<Integer> committed = isr.contains(nodeId) ? List.copyOf(isr) : withNode(isr, nodeId);
            role = new Role(true, nodeId, leaderEpoch, partitionEpoch, List.copyOf(replicas), IsrState.committed(committed));
            if (newLeadership) {
                leaderEpochStartOffset = log.logEndOffset();
                log.assignEpochStartOffset(leaderEpoch, leaderEpochStartOffset);
                followers.clear();
            }
            long now = time.milliseconds();
            for (int replica : replicas) {
                if (replica != nodeId) {
                    followers.computeIfAbsent(replica, id -> new FollowerState(id, committed.contains(id) ? now : 0L));
                }
            }
            followers.keySet().retainAll(replicas);
            maybeIncrementHighWatermark();
            return newLeadership;
        } finally {
            leaderIsrLock.writeLock().unlock();
        }
    }

    /**
     * Becomes a follower of {@code leaderId} at {@code leaderEpoch}: appends and consumer reads are
     * refused from now on.
     *
     * @return whether the leader or its epoch changed, so the fetcher must start over
     */
    public boolean makeFollower(int leaderId, int leaderEpoch, int partitionEpoch, List<Integer> replicas,
            List<Integer> isr) {
        leaderIsrLock.writeLock().lock();
        try {
            Role before = role;
            boolean changed = before.leader() || before.leaderId() != leaderId || before.leaderEpoch() != leaderEpoch;
            role = new Role(false, leaderId, leaderEpoch, partitionEpoch, List.copyOf(replicas),
                    IsrState.committed(List.copyOf(isr)));
            followers.clear();
            return changed;
        } finally {
            leaderIsrLock.writeLock().unlock();
        }
    }

    /**
     * Checks the epoch a client or follower believes current, as Kafka does (KIP-320): an older
     * one is FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH, -1 skips the check.
     */
    public Errors checkLeaderEpoch(int currentLeaderEpoch) {
        int epoch = role.leaderEpoch();
        if (currentLeaderEpoch < 0 || currentLeaderEpoch == epoch) {
            return Errors.NONE;
        }
        return currentLeaderEpoch < epoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }

    // ---- produce

    /**
     * Appends produced batches as the leader and advances the high watermark as far as the
     * followers allow.
     *
     * <p>Buffer ownership: as {@link PartitionLog#append}: the log writes offsets and the leader
     * epoch into {@code records} in place during the call.
     *
     * @param requiredAcks the produce request's acks; with -1 the ISR must hold at least the
     *     effective {@code min.insync.replicas}
     * @throws ReplicationException {@link Errors#NOT_LEADER_OR_FOLLOWER} on a follower, {@link
     *     Errors#NOT_ENOUGH_REPLICAS} when the ISR is too small
     * @throws io.fjord.log.LogException when the log rejects the batches
     */
    public LogAppendInfo appendRecordsToLeader(ByteBuffer records, short requiredAcks) {
        leaderIsrLock.readLock().lock();
        try {
            Role current = role;
            if (!current.leader()) {
                throw notLeader();
            }
            int minIsr = effectiveMinIsr(current);
            int inSync = current.isr().isr().size();
            if (requiredAcks == -1 && inSync < minIsr) {
                throw new ReplicationException(Errors.NOT_ENOUGH_REPLICAS, "The in-sync replicas of " + topicPartition
                        + " (" + inSync + ") are fewer than min.insync.replicas (" + minIsr + ")");
            }
            LogAppendInfo info = log.append(records, current.leaderEpoch());
            maybeIncrementHighWatermark();
            return info;
        } finally {
            leaderIsrLock.readLock().unlock();
        }
    }

    /**
     * Whether an acks=all produce whose last offset is {@code lastOffset} is answered, and how:
     * null while the high watermark has not passed it; NONE once it has and the maximal ISR
     * holds the effective minimum; NOT_ENOUGH_REPLICAS_AFTER_APPEND when it has but the ISR shrank
     * below it meanwhile (the records stay in the log); NOT_LEADER_OR_FOLLOWER after losing the
     * leadership.
     */
    public Errors acksAllOutcome(long lastOffset) {
        Role current = role;
        if (!current.leader()) {
            return Errors.NOT_LEADER_OR_FOLLOWER;
        }
        if (log.highWatermark() <= lastOffset) {
            return null;
        }
        return current.isr().maximal().size() >= effectiveMinIsr(current) ? Errors.NONE
                : Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
    }

    // ---- fetch

    /**
     * Whole batches from the one holding {@code fetchOffset} up to the high watermark: at most
     * {@code maxBytes}, but at least one batch when {@code minOneBatch}.
     *
     * @throws io.fjord.log.LogException {@link Errors#OFFSET_OUT_OF_RANGE} outside the log
     * @throws ReplicationException {@link Errors#NOT_LEADER_OR_FOLLOWER} on a follower
     */
    public FileSlice readForConsumer(long fetchOffset, int maxBytes, boolean minOneBatch) {
        if (!role.leader()) {
            throw notLeader();
        }
        return log.read(fetchOffset, maxBytes, log.highWatermark(), minOneBatch);
    }

    /**
     * A follower's fetch, answered by the leader: the divergence check of its last fetched epoch
     * (KIP-595's DivergingEpoch: nothing is read and its state is left alone), then batches up
     * to the log end offset; its fetch offset becomes its log end offset here, which may add it to
     * the ISR and move the high watermark.
     *
     * @throws ReplicationException NOT_LEADER_OR_FOLLOWER when this broker does not lead or the
     *     replica is not assigned; FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH for a wrong epoch
     * @throws io.fjord.log.LogException OFFSET_OUT_OF_RANGE outside the log
     */
    public FollowerRead readForFollower(FollowerFetch fetch) {
        leaderIsrLock.readLock().lock();
        try {
            Role current = role;
            if (!current.leader()) {
                throw notLeader();
            }
            Errors epochError = checkLeaderEpoch(fetch.currentLeaderEpoch());
            if (epochError != Errors.NONE) {
                throw new ReplicationException(epochError, "Follower " + fetch.replicaId() + " fetches " + topicPartition
                        + " at leader epoch " + fetch.currentLeaderEpoch() + "; the leader's is " + current.leaderEpoch());
            }
            FollowerState follower = followers.get(fetch.replicaId());
            if (follower == null) {
                throw new ReplicationException(Errors.NOT_LEADER_OR_FOLLOWER, "Broker " + fetch.replicaId()
                        + " is not a replica of " + topicPartition);
            }
            if (fetch.lastFetchedEpoch() >= 0) {
                EpochEndOffset end = log.endOffsetForEpoch(fetch.lastFetchedEpoch(), current.leaderEpoch());
                // No answer (an epoch cache with nothing at or below it) is no evidence of divergence.
                if (end != null && (end.epoch() < fetch.lastFetchedEpoch() || end.endOffset() < fetch.fetchOffset())) {
                    return new FollowerRead(FileSlice.empty(fetch.fetchOffset()), end, log.highWatermark(),
                            log.logStartOffset(), false);
                }
            }
            long leaderEnd = log.logEndOffset();
            FileSlice records = log.read(fetch.fetchOffset(), fetch.maxBytes(), leaderEnd, fetch.minOneBatch());
            follower.update(fetch.fetchOffset(), fetch.brokerEpoch(), leaderEnd, time.milliseconds());
            maybeExpandIsr(current, follower);
            boolean hwMoved = maybeIncrementHighWatermark();
            return new FollowerRead(records, null, log.highWatermark(), log.logStartOffset(), hwMoved);
        } finally {
            leaderIsrLock.readLock().unlock();
        }
    }

    /** The fetch state of each follower while this broker leads, for tests and metrics. */
    public Map<Integer, FollowerState> followerStates() {
        return Map.copyOf(followers);
    }

    // ---- high watermark and ISR

    /**
     * Moves the leader's high watermark to the smallest log end offset over the maximal ISR and
     * the caught-up followers about to join it (so the high watermark does not run ahead of a
     * replica that will be in the ISR in a moment).
     *
     * @return whether it moved
     */
    boolean maybeIncrementHighWatermark() {
        Role current = role;
        if (!current.leader()) {
            return false;
        }
        long candidate = log.logEndOffset();
        long now = time.milliseconds();
        for (FollowerState f : followers.values()) {
            boolean counts = current.isr().maximal().contains(f.replicaId())
                    || (f.caughtUpWithin(now, settings.replicaLagTimeMaxMs()) && eligibility.isEligible(f.replicaId()));
            if (counts) {
                long end = f.logEndOffset();
                candidate = Math.min(candidate, Math.max(end, log.logStartOffset()));
            }
        }
        long before = log.highWatermark();
        log.maybeIncrementHighWatermark(candidate);
        return log.highWatermark() > before;
    }

    private void maybeExpandIsr(Role current, FollowerState follower) {
        IsrState isr = current.isr();
        if (isr.pending() || isr.maximal().contains(follower.replicaId())) {
            return;
        }
        long end = follower.logEndOffset();
        if (end >= log.highWatermark() && end >= leaderEpochStartOffset && eligibility.isEligible(follower.replicaId())) {
            proposeIsr(current, withNode(isr.isr(), follower.replicaId()), true);
        }
    }

    /**
     * Drops from the ISR the followers that have not caught up within {@code replica.lag.time.max.ms}
     * (the {@code isr-expiration} task). The dropped ones still count for the high watermark until the
     * controller commits the smaller ISR.
     *
     * @return whether a shrink was proposed
     */
    public boolean maybeShrinkIsr() {
        leaderIsrLock.readLock().lock();
        try {
            Role current = role;
            if (!current.leader() || current.isr().pending()) {
                return false;
            }
            long now = time.milliseconds();
            List<Integer> kept = new ArrayList<>();
            for (int replica : current.isr().isr()) {
                FollowerState f = followers.get(replica);
                if (replica == nodeId || (f != null && f.caughtUpWithin(now, settings.replicaLagTimeMaxMs()))) {
                    kept.add(replica);
                }
            }
            if (kept.size() == current.isr().isr().size()) {
                return false;
            }
            proposeIsr(current, kept, false);
            return true;
        } finally {
            leaderIsrLock.readLock().unlock();
        }
    }

    /**
     * Sends one AlterPartition for {@code proposed}: one in flight per partition. An expansion
     * counts the new member for the high watermark at once; a shrink keeps the old members until
     * committed (the maximal ISR is the larger of the two sets).
     */
    private void proposeIsr(Role current, List<Integer> proposed, boolean expand) {
        synchronized (followers) {
            Role now = role;
            if (now != current || now.isr().pending()) {
                return;
            }
            role = new Role(true, nodeId, now.leaderEpoch(), now.partitionEpoch(), now.replicas(),
                    IsrState.pending(now.isr().isr(), proposed, expand));
        }
        Map<Integer, Long> memberEpochs = new HashMap<>();
        for (int member : proposed) {
            FollowerState f = followers.get(member);
            if (f != null && f.brokerEpoch() >= 0) {
                memberEpochs.put(member, f.brokerEpoch());
            }
        }
        alterPartition.submit(topicPartition, current.leaderEpoch(), current.partitionEpoch(), proposed, memberEpochs,
                outcome -> onAlterPartition(current.leaderEpoch(), outcome));
    }

    private void onAlterPartition(int proposedAtEpoch, AlterPartitionOutcome outcome) {
        boolean hwMoved = false;
        leaderIsrLock.writeLock().lock();
        try {
            Role current = role;
            if (!current.leader() || current.leaderEpoch() != proposedAtEpoch || !current.isr().pending()) {
                return; // a LeaderAndIsr came first and is newer
            }
            if (outcome.error() == Errors.NONE && outcome.leaderEpoch() == current.leaderEpoch()) {
                role = new Role(true, nodeId, current.leaderEpoch(), outcome.partitionEpoch(), current.replicas(),
                        IsrState.committed(outcome.isr().contains(nodeId) ? outcome.isr() : withNode(outcome.isr(), nodeId)));
            } else {
                // Refused or lost: back to the committed ISR; the next fetch or expiry check proposes again.
                role = new Role(true, nodeId, current.leaderEpoch(), current.partitionEpoch(), current.replicas(),
                        IsrState.committed(current.isr().isr()));
            }
            hwMoved = maybeIncrementHighWatermark();
        } finally {
            leaderIsrLock.writeLock().unlock();
        }
        if (hwMoved) {
            onHighWatermarkMoved.accept(topicPartition);
        }
    }

    private static List<Integer> withNode(List<Integer> isr, int node) {
        List<Integer> out = new ArrayList<>(isr);
        if (!out.contains(node)) {
            out.add(node);
        }
        return List.copyOf(out);
    }

    /** Whether the partition's committed ISR is below the effective {@code min.insync.replicas}. */
    public boolean isUnderMinIsr() {
        Role r = role;
        return r.leader() && r.isr().isr().size() < effectiveMinIsr(r);
    }

    private ReplicationException notLeader() {
        return new ReplicationException(Errors.NOT_LEADER_OR_FOLLOWER, "This broker is not the leader of "
                + topicPartition);
    }

    @Override
    public String toString() {
        Role r = role;
        return "Partition(" + topicPartition + (r.leader() ? ", leader" : ", follower of " + r.leaderId()) + ", epoch "
                + r.leaderEpoch() + ", isr " + r.isr().isr() + ", hw " + highWatermark() + ")";
    }
}
