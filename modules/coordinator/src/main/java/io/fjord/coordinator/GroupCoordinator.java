package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.coordinator.store.CoordinatorRecords;
import io.fjord.coordinator.store.GroupMetadataValue;
import io.fjord.common.Scheduler;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.RecordBatchBuilder;
import io.fjord.replication.ReplicaManager;
import io.fjord.timer.Timer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The group coordinator of this broker for every group (one node leads every partition of
 * {@code __consumer_offsets}): the classic group protocol and the committed offsets.
 *
 * <p>Each group is locked on its own {@link ClassicGroup} monitor for the whole of an operation,
 * so operations on one group are serialised and different groups never contend. Writes to the
 * offsets topic are made under that lock (log order is the order of the in-memory changes) and
 * answered once appended with acks=all; with one node the append completes on the calling
 * thread. A join or sync that must wait is parked on its member and answered by whichever thread
 * completes the phase: another member's request, the leader's sync, or the timer. No call waits.
 *
 * <p>Lifecycle: {@link #startup} replays the existing offsets partitions in the background
 * (their groups answer COORDINATOR_LOAD_IN_PROGRESS meanwhile) and schedules offset retention;
 * {@link #shutdown} answers every parked request with NOT_COORDINATOR, as Kafka does when a
 * coordinator resigns, and refuses later ones the same way. It writes nothing: every commit was
 * appended before it was answered.
 */
public final class GroupCoordinator {

    private static final System.Logger LOG = System.getLogger(GroupCoordinator.class.getName());
    static final String OFFSETS_TOPIC = "__consumer_offsets";
    private static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final GroupCoordinatorConfig config;
    private final ReplicaManager replicaManager;
    private final OffsetsTopicCreator topicCreator;
    private final Time time;
    private final Timer timer;
    private final Scheduler scheduler;
    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    /** Offsets partitions being replayed; their groups are not answered yet. */
    private final Set<Integer> loading = ConcurrentHashMap.newKeySet();
    /** Partitions of {@code __consumer_offsets}; 0 until the topic exists. */
    private volatile int partitionCount;
    private volatile boolean active = true;
    private final List<Scheduler.Cancellable> jobs = new ArrayList<>();
    private Thread reaper;

    /**
     * @param timer the timing wheel for session, rebalance and sync deadlines; its clock must
     *     advance with {@code time} (tests drive both by hand)
     * @param scheduler runs the replay of offsets partitions and the retention check
     */
    public GroupCoordinator(GroupCoordinatorConfig config, ReplicaManager replicaManager,
            OffsetsTopicCreator topicCreator, Time time, Timer timer, Scheduler scheduler) {
        this.config = config;
        this.replicaManager = replicaManager;
        this.topicCreator = topicCreator;
        this.time = time;
        this.timer = timer;
        this.scheduler = scheduler;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts serving: replays the {@code existingPartitions} partitions of an existing offsets
     * topic in the background (none: the topic is created on first use) and schedules the
     * retention check every {@code offsets.retention.check.interval.ms}.
     */
    public synchronized void startup(int existingPartitions) {
        if (existingPartitions > 0) {
            for (int p = 0; p < existingPartitions; p++) {
                loading.add(p);
            }
            partitionCount = existingPartitions;
            jobs.add(scheduler.schedule("offsets-load", this::loadAll, 0, 0));
        }
        jobs.add(scheduler.schedule("offsets-retention", this::cleanupExpiredOffsets,
                config.offsetsRetentionCheckIntervalMs(), config.offsetsRetentionCheckIntervalMs()));
    }

    /** Runs the timer's expirations on a daemon thread of its own until {@link #shutdown}. */
    public synchronized void startTimerReaper() {
        reaper = new Thread(() -> {
            try {
                while (active) {
                    timer.advanceClock(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fjord-group-coordinator-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    /** Answers every parked join and sync with NOT_COORDINATOR and stops; idempotent. */
    public synchronized void shutdown() throws InterruptedException {
        if (!active) {
            return;
        }
        active = false;
        for (Scheduler.Cancellable job : jobs) {
            job.cancel();
        }
        for (ClassicGroup group : groups.values()) {
            synchronized (group) {
                for (GroupMember m : group.members.values()) {
                    answerJoin(m, JoinGroupResult.error(Errors.NOT_COORDINATOR, m.memberId));
                    answerSync(m, SyncGroupResult.error(Errors.NOT_COORDINATOR));
                }
            }
        }
        timer.close();
        if (reaper != null) {
            reaper.join(5_000);
        }
    }

    // ---------------------------------------------------------------- placement

    /** Kafka's partition of a group: {@code Utils.abs(groupId.hashCode()) % partitions}. */
    public static int partitionFor(String groupId, int partitions) {
        int h = groupId.hashCode();
        return (h == Integer.MIN_VALUE ? 0 : Math.abs(h)) % partitions;
    }

    /**
     * FindCoordinator for a group: creates {@code __consumer_offsets} on first use and says
     * whether this broker can coordinate the group (it can, unless the topic cannot be created).
     *
     * @return NONE, COORDINATOR_NOT_AVAILABLE or NOT_COORDINATOR (after shutdown)
     */
    public Errors findCoordinator(String groupId) {
        if (!active) {
            return Errors.NOT_COORDINATOR;
        }
        try {
            ensureOffsetsTopic();
            return Errors.NONE;
        } catch (CoordinatorException e) {
            return e.error();
        }
    }

    private int ensureOffsetsTopic() {
        int n = partitionCount;
        if (n > 0) {
            return n;
        }
        synchronized (this) {
            if (partitionCount == 0) {
                partitionCount = topicCreator.createIfAbsent();
            }
            return partitionCount;
        }
    }

    /** NONE if this coordinator can answer for the group now, else the error to answer with. */
    private Errors status(String groupId) {
        if (!active) {
            return Errors.NOT_COORDINATOR;
        }
        int n;
        try {
            n = ensureOffsetsTopic();
        } catch (CoordinatorException e) {
            return e.error();
        }
        return loading.contains(partitionFor(groupId, n)) ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NONE;
    }

    private static boolean validGroupId(String groupId) {
        return groupId != null && !groupId.isEmpty();
    }

    private ClassicGroup getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, time.milliseconds()));
    }

    // ---------------------------------------------------------------- JoinGroup

    /** JoinGroup: answers through {@code callback} now or when the join phase completes. */
    public void joinGroup(JoinGroupRequest req, Consumer<JoinGroupResult> callback) {
        if (!validGroupId(req.groupId())) {
            callback.accept(JoinGroupResult.error(Errors.INVALID_GROUP_ID, req.memberId()));
            return;
        }
        Errors status = status(req.groupId());
        if (status != Errors.NONE) {
            callback.accept(JoinGroupResult.error(status, req.memberId()));
            return;
        }
        if (req.sessionTimeoutMs() < config.groupMinSessionTimeoutMs()
                || req.sessionTimeoutMs() > config.groupMaxSessionTimeoutMs()) {
            callback.accept(JoinGroupResult.error(Errors.INVALID_SESSION_TIMEOUT, req.memberId()));
            return;
        }
        boolean newMember = req.memberId().isEmpty();
        ClassicGroup group = newMember ? getOrCreate(req.groupId()) : groups.get(req.groupId());
        if (group == null) {
            callback.accept(JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, req.memberId()));
            return;
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                // Deleted while this request was on its way: the client looks the coordinator up again.
                callback.accept(JoinGroupResult.error(Errors.COORDINATOR_NOT_AVAILABLE, req.memberId()));
            } else if (!group.supportsProtocols(req.protocolType(), req.protocols())) {
                callback.accept(JoinGroupResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, req.memberId()));
            } else if (newMember) {
                joinNewMember(group, req, callback);
            } else {
                joinKnownMember(group, req, callback);
            }
        }
    }

    /** Kafka's acceptJoiningMember: whether {@code group.max.size} leaves room for this member. */
    private boolean hasRoomFor(ClassicGroup group, String memberId) {
        GroupMember existing = memberId.isEmpty() ? null : group.member(memberId);
        return switch (group.state) {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE -> (existing != null && existing.awaitingJoin != null)
                    || group.awaitingJoinCount() < config.groupMaxSize();
            case COMPLETING_REBALANCE, STABLE -> existing != null || group.members.size() < config.groupMaxSize();
        };
    }

    private void joinNewMember(ClassicGroup group, JoinGroupRequest req, Consumer<JoinGroupResult> callback) {
        String instanceId = req.groupInstanceId();
        String existingStatic = instanceId == null ? null : group.staticMembers.get(instanceId);
        if (existingStatic == null && !hasRoomFor(group, "")) {
            callback.accept(JoinGroupResult.error(Errors.GROUP_MAX_SIZE_REACHED, ""));
            return;
        }
        if (instanceId != null) {
            String newId = instanceId + "-" + UUID.randomUUID();
            if (existingStatic != null) {
                rejoinStaticMember(group, group.member(existingStatic), newId, req, callback);
            } else {
                addMemberAndRebalance(group, req, newId, callback);
            }
        } else {
            String newId = req.clientId() + "-" + UUID.randomUUID();
            if (req.requireKnownMemberId()) {
                addPendingMember(group, newId, req.sessionTimeoutMs());
                callback.accept(JoinGroupResult.error(Errors.MEMBER_ID_REQUIRED, newId));
            } else {
                addMemberAndRebalance(group, req, newId, callback);
            }
        }
    }

    private void addPendingMember(ClassicGroup group, String memberId, int sessionTimeoutMs) {
        Deadline expiry = new Deadline(sessionTimeoutMs);
        expiry.action(() -> {
            synchronized (group) {
                if (group.pendingMembers.get(memberId) == expiry) {
                    group.pendingMembers.remove(memberId);
                    if (group.is(GroupState.PREPARING_REBALANCE)) {
                        maybeCompleteJoin(group);
                    }
                }
            }
        });
        group.pendingMembers.put(memberId, expiry);
        schedule(expiry);
    }

    private void joinKnownMember(ClassicGroup group, JoinGroupRequest req, Consumer<JoinGroupResult> callback) {
        String memberId = req.memberId();
        Deadline pending = group.pendingMembers.remove(memberId);
        if (pending != null) {
            pending.cancel();
            if (!hasRoomFor(group, "")) {
                callback.accept(JoinGroupResult.error(Errors.GROUP_MAX_SIZE_REACHED, memberId));
                return;
            }
            addMemberAndRebalance(group, req, memberId, callback);
            return;
        }
        Errors invalid = validateMember(group, memberId, req.groupInstanceId());
        if (invalid != Errors.NONE) {
            callback.accept(JoinGroupResult.error(invalid, memberId));
            return;
        }
        GroupMember member = group.member(memberId);
        switch (group.state) {
            case PREPARING_REBALANCE -> {
                updateMember(group, member, req, callback);
                maybeCompleteJoin(group);
            }
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(req.protocols())) {
                    scheduleHeartbeat(group, member);
                    callback.accept(currentGeneration(group, member));
                } else {
                    updateMember(group, member, req, callback);
                    prepareRebalance(group, "member " + memberId + " rejoined with new metadata");
                }
            }
            case STABLE -> {
                if (memberId.equals(group.leaderId) || !member.sameProtocols(req.protocols())) {
                    updateMember(group, member, req, callback);
                    prepareRebalance(group, "leader or changed member " + memberId + " rejoined");
                } else {
                    scheduleHeartbeat(group, member);
                    callback.accept(currentGeneration(group, member));
                }
            }
            case EMPTY, DEAD -> callback.accept(JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    /**
     * A static member rejoining with an empty member id (a restarted instance): it takes over the
     * old member's place under a new id; the old id is fenced. A Stable group with unchanged
     * metadata keeps its generation and assignment (no rebalance), as KIP-345 intends.
     */
    private void rejoinStaticMember(ClassicGroup group, GroupMember old, String newId, JoinGroupRequest req,
            Consumer<JoinGroupResult> callback) {
        boolean sameProtocols = old.sameProtocols(req.protocols());
        answerJoin(old, JoinGroupResult.error(Errors.FENCED_INSTANCE_ID, old.memberId));
        answerSync(old, SyncGroupResult.error(Errors.FENCED_INSTANCE_ID));
        cancel(old.heartbeat);
        GroupMember fresh = group.replaceStatic(old, newId, req);
        scheduleHeartbeat(group, fresh);
        switch (group.state) {
            case STABLE -> {
                if (sameProtocols && !newId.equals(group.leaderId)) {
                    // Persist the new member id so a restart does not bring back the fenced one.
                    int generation = group.generationId;
                    appendGroupMetadata(group, error -> {
                        if (error == Errors.NONE || group.generationId != generation) {
                            callback.accept(currentGeneration(group, fresh));
                        } else {
                            callback.accept(JoinGroupResult.error(error, newId));
                        }
                    });
                } else {
                    fresh.awaitingJoin = callback;
                    prepareRebalance(group, "static member " + old.groupInstanceId + " rejoined");
                }
            }
            case COMPLETING_REBALANCE -> {
                fresh.awaitingJoin = callback;
                prepareRebalance(group, "static member " + old.groupInstanceId + " rejoined during a rebalance");
            }
            default -> {
                fresh.awaitingJoin = callback;
                maybeCompleteJoin(group);
            }
        }
    }

    private void addMemberAndRebalance(ClassicGroup group, JoinGroupRequest req, String memberId,
            Consumer<JoinGroupResult> callback) {
        if (group.members.isEmpty()) {
            group.protocolType = req.protocolType();
        }
        GroupMember member = new GroupMember(memberId, req.groupInstanceId(), req.clientId(), req.clientHost(),
                ClassicGroup.rebalanceTimeout(req), req.sessionTimeoutMs(), req.protocols());
        member.awaitingJoin = callback;
        group.add(member);
        scheduleHeartbeat(group, member);
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            maybeCompleteJoin(group);
        } else {
            prepareRebalance(group, "member " + memberId + " joined");
        }
    }

    private void updateMember(ClassicGroup group, GroupMember member, JoinGroupRequest req,
            Consumer<JoinGroupResult> callback) {
        member.protocols = List.copyOf(req.protocols());
        member.rebalanceTimeoutMs = ClassicGroup.rebalanceTimeout(req);
        member.sessionTimeoutMs = req.sessionTimeoutMs();
        member.clientId = req.clientId();
        member.clientHost = req.clientHost();
        // A repeated join from the same member replaces the parked one, which must still be answered.
        answerJoin(member, JoinGroupResult.error(Errors.REBALANCE_IN_PROGRESS, member.memberId));
        member.awaitingJoin = callback;
        scheduleHeartbeat(group, member);
    }

    /** Validates a member id and optional instance id against the group, as Kafka's validateMember. */
    private static Errors validateMember(ClassicGroup group, String memberId, String instanceId) {
        if (instanceId != null) {
            String current = group.staticMembers.get(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return current.equals(memberId) ? Errors.NONE : Errors.FENCED_INSTANCE_ID;
        }
        return group.members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    private JoinGroupResult currentGeneration(ClassicGroup group, GroupMember member) {
        return new JoinGroupResult(Errors.NONE, group.generationId, group.protocolName, group.leaderId,
                member.memberId, member.memberId.equals(group.leaderId) ? membersForLeader(group) : List.of());
    }

    private static List<JoinGroupResult.Member> membersForLeader(ClassicGroup group) {
        List<JoinGroupResult.Member> list = new ArrayList<>(group.members.size());
        for (GroupMember m : group.members.values()) {
            list.add(new JoinGroupResult.Member(m.memberId, m.groupInstanceId, m.metadata(group.protocolName)));
        }
        return list;
    }

    // ---------------------------------------------------------------- rebalance phases

    /**
     * Moves the group to PreparingRebalance: parked syncs of the old generation are answered with
     * REBALANCE_IN_PROGRESS and a join deadline is set: for a new group the initial delay
     * ({@code group.initial.rebalance.delay.ms}, extended while members keep arriving, up to the
     * rebalance timeout), otherwise the longest rebalance timeout of the members.
     */
    private void prepareRebalance(ClassicGroup group, String reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Preparing to rebalance group " + group.groupId + ": " + reason);
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            for (GroupMember m : group.members.values()) {
                m.assignment(null);
                answerSync(m, SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
            }
        }
        cancel(group.syncDeadline);
        group.syncDeadline = null;
        group.pendingSync.clear();
        boolean initial = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, time.milliseconds());
        if (initial) {
            int delay = config.groupInitialRebalanceDelayMs();
            group.newMemberAdded = false;
            scheduleInitialDelay(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
        } else {
            scheduleJoinDeadline(group, group.rebalanceTimeoutMs(), () -> completeJoin(group));
            maybeCompleteJoin(group);
        }
    }

    private void scheduleInitialDelay(ClassicGroup group, int delayMs, int remainingMs) {
        scheduleJoinDeadline(group, delayMs, () -> {
            if (group.newMemberAdded && remainingMs > 0) {
                group.newMemberAdded = false;
                int next = Math.min(delayMs, remainingMs);
                scheduleInitialDelay(group, next, remainingMs - next);
            } else {
                completeJoin(group);
            }
        });
    }

    private void scheduleJoinDeadline(ClassicGroup group, long delayMs, Runnable onExpiry) {
        cancel(group.joinDeadline);
        Deadline deadline = new Deadline(delayMs);
        deadline.action(() -> {
            synchronized (group) {
                if (group.joinDeadline == deadline && group.is(GroupState.PREPARING_REBALANCE)) {
                    group.joinDeadline = null;
                    onExpiry.run();
                }
            }
        });
        group.joinDeadline = deadline;
        schedule(deadline);
    }

    /** Completes the join phase early once every member (and pending id) has rejoined. */
    private void maybeCompleteJoin(ClassicGroup group) {
        // The initial delay is never cut short: more members are expected to arrive.
        if (group.is(GroupState.PREPARING_REBALANCE) && group.allMembersJoined()
                && group.previousState != GroupState.EMPTY) {
            completeJoin(group);
        }
    }

    /**
     * Ends the join phase: members that did not rejoin are removed, the generation grows, the
     * protocol is chosen and every joined member gets its answer (the leader with the member
     * list). A group left without members becomes Empty and its metadata is written at once.
     */
    private void completeJoin(ClassicGroup group) {
        cancel(group.joinDeadline);
        group.joinDeadline = null;
        for (GroupMember m : new ArrayList<>(group.members.values())) {
            if (m.awaitingJoin == null) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Removing member " + m.memberId + " of " + group.groupId
                        + ": it did not rejoin within the rebalance timeout");
                removeMember(group, m);
            }
        }
        group.generationId++;
        if (group.members.isEmpty()) {
            group.protocolName = null;
            group.subscribedTopics = null;
            group.transitionTo(GroupState.EMPTY, time.milliseconds());
            appendGroupMetadata(group, error -> logWriteFailure(group, error));
            return;
        }
        group.protocolName = group.selectProtocol();
        if (!group.members.containsKey(group.leaderId)) {
            group.leaderId = group.members.keySet().iterator().next();
        }
        group.subscribedTopics = subscribedTopics(group);
        group.transitionTo(GroupState.COMPLETING_REBALANCE, time.milliseconds());
        List<JoinGroupResult.Member> forLeader = membersForLeader(group);
        for (GroupMember m : group.members.values()) {
            boolean leader = m.memberId.equals(group.leaderId);
            answerJoin(m, new JoinGroupResult(Errors.NONE, group.generationId, group.protocolName, group.leaderId,
                    m.memberId, leader ? forLeader : List.of()));
            scheduleHeartbeat(group, m);
            group.pendingSync.add(m.memberId);
        }
        int generation = group.generationId;
        Deadline deadline = new Deadline(group.rebalanceTimeoutMs());
        deadline.action(() -> {
            synchronized (group) {
                if (group.syncDeadline == deadline && group.generationId == generation) {
                    group.syncDeadline = null;
                    expirePendingSync(group);
                }
            }
        });
        group.syncDeadline = deadline;
        schedule(deadline);
    }

    private static Set<String> subscribedTopics(ClassicGroup group) {
        if (!CONSUMER_PROTOCOL_TYPE.equals(group.protocolType)) {
            return null;
        }
        Set<String> topics = new HashSet<>();
        for (GroupMember m : group.members.values()) {
            Set<String> t = ConsumerSubscriptions.topics(m.metadata(group.protocolName));
            if (t == null) {
                return null;
            }
            topics.addAll(t);
        }
        return topics;
    }

    /** Members that did not sync within the rebalance timeout are removed and the group rebalances. */
    private void expirePendingSync(ClassicGroup group) {
        if (group.pendingSync.isEmpty()
                || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))) {
            return;
        }
        for (String id : new ArrayList<>(group.pendingSync)) {
            GroupMember m = group.member(id);
            if (m != null) {
                removeMember(group, m);
            }
        }
        group.pendingSync.clear();
        prepareRebalance(group, "members did not sync within the rebalance timeout");
    }

    /** Removes a member, answering its parked requests with UNKNOWN_MEMBER_ID. */
    private void removeMember(ClassicGroup group, GroupMember member) {
        answerJoin(member, JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, member.memberId));
        answerSync(member, SyncGroupResult.error(Errors.UNKNOWN_MEMBER_ID));
        cancel(member.heartbeat);
        member.heartbeat = null;
        group.remove(member);
    }

    /** Removes a member (left, expired, fenced) and moves the group on as its state requires. */
    private void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member, String reason) {
        removeMember(group, member);
        switch (group.state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            case EMPTY, DEAD -> { }
        }
    }

    // ---------------------------------------------------------------- heartbeats and sessions

    private void scheduleHeartbeat(ClassicGroup group, GroupMember member) {
        Deadline current = member.heartbeat;
        if (current == null || current.delayMs() != member.sessionTimeoutMs) {
            cancel(current);
            Deadline deadline = new Deadline(member.sessionTimeoutMs);
            deadline.action(() -> {
                synchronized (group) {
                    if (group.member(member.memberId) != member || member.heartbeat != deadline) {
                        return;
                    }
                    if (member.awaitingJoin != null || member.awaitingSync != null) {
                        // A member with a parked request is alive; the phase's own deadline limits it.
                        schedule(deadline);
                        return;
                    }
                    LOG.log(System.Logger.Level.DEBUG, () -> "Session of member " + member.memberId + " of "
                            + group.groupId + " expired");
                    removeMemberAndUpdateGroup(group, member, "session of " + member.memberId + " expired");
                }
            });
            member.heartbeat = deadline;
        }
        schedule(member.heartbeat);
    }

    /** Heartbeat: keeps the member's session and tells it whether to rejoin. */
    public Errors heartbeat(String groupId, String memberId, String instanceId, int generationId) {
        if (!validGroupId(groupId)) {
            return Errors.INVALID_GROUP_ID;
        }
        Errors status = status(groupId);
        if (status != Errors.NONE) {
            return status;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            Errors invalid = validateMember(group, memberId, instanceId);
            if (invalid != Errors.NONE) {
                return invalid;
            }
            if (generationId != group.generationId) {
                return Errors.ILLEGAL_GENERATION;
            }
            scheduleHeartbeat(group, group.member(memberId));
            return group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
        }
    }

    // ---------------------------------------------------------------- SyncGroup

    /**
     * SyncGroup: the leader's assignments are written to the log with the group's metadata, then
     * every member parked in this phase gets its own; followers wait until then.
     *
     * <p>Ownership: the assignment arrays are kept; the caller hands over copies.
     */
    public void syncGroup(String groupId, int generationId, String memberId, String instanceId,
            Map<String, byte[]> assignments, Consumer<SyncGroupResult> callback) {
        if (!validGroupId(groupId)) {
            callback.accept(SyncGroupResult.error(Errors.INVALID_GROUP_ID));
            return;
        }
        Errors status = status(groupId);
        if (status != Errors.NONE) {
            callback.accept(SyncGroupResult.error(status));
            return;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            callback.accept(SyncGroupResult.error(Errors.UNKNOWN_MEMBER_ID));
            return;
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                callback.accept(SyncGroupResult.error(Errors.COORDINATOR_NOT_AVAILABLE));
                return;
            }
            Errors invalid = validateMember(group, memberId, instanceId);
            if (invalid != Errors.NONE) {
                callback.accept(SyncGroupResult.error(invalid));
                return;
            }
            if (generationId != group.generationId) {
                callback.accept(SyncGroupResult.error(Errors.ILLEGAL_GENERATION));
                return;
            }
            GroupMember member = group.member(memberId);
            switch (group.state) {
                case EMPTY, DEAD -> callback.accept(SyncGroupResult.error(Errors.UNKNOWN_MEMBER_ID));
                case PREPARING_REBALANCE -> callback.accept(SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
                case STABLE -> {
                    scheduleHeartbeat(group, member);
                    group.pendingSync.remove(memberId);
                    callback.accept(new SyncGroupResult(Errors.NONE, member.assignment));
                }
                case COMPLETING_REBALANCE -> {
                    answerSync(member, SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
                    member.awaitingSync = callback;
                    group.pendingSync.remove(memberId);
                    scheduleHeartbeat(group, member);
                    if (memberId.equals(group.leaderId)) {
                        completeSync(group, assignments);
                    }
                }
            }
        }
    }

    private void completeSync(ClassicGroup group, Map<String, byte[]> assignments) {
        for (GroupMember m : group.members.values()) {
            m.assignment(assignments.get(m.memberId));
        }
        int generation = group.generationId;
        appendGroupMetadata(group, error -> {
            if (group.generationId != generation || !group.is(GroupState.COMPLETING_REBALANCE)) {
                return;
            }
            if (error != Errors.NONE) {
                for (GroupMember m : group.members.values()) {
                    m.assignment(null);
                    answerSync(m, SyncGroupResult.error(error));
                }
                prepareRebalance(group, "writing the group's assignment failed with " + error);
                return;
            }
            for (GroupMember m : group.members.values()) {
                answerSync(m, new SyncGroupResult(Errors.NONE, m.assignment));
            }
            group.transitionTo(GroupState.STABLE, time.milliseconds());
        });
    }

    // ---------------------------------------------------------------- LeaveGroup

    /** LeaveGroup for one or more members (v3+ batches them; older versions send one). */
    public LeaveGroupResult leaveGroup(String groupId, List<MemberIdentity> leaving) {
        if (!validGroupId(groupId)) {
            return new LeaveGroupResult(Errors.INVALID_GROUP_ID, List.of());
        }
        Errors status = status(groupId);
        if (status != Errors.NONE) {
            return new LeaveGroupResult(status, List.of());
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return new LeaveGroupResult(Errors.UNKNOWN_MEMBER_ID, List.of());
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return new LeaveGroupResult(Errors.COORDINATOR_NOT_AVAILABLE, List.of());
            }
            List<Errors> results = new ArrayList<>(leaving.size());
            for (MemberIdentity who : leaving) {
                results.add(leave(group, who));
            }
            return new LeaveGroupResult(Errors.NONE, results);
        }
    }

    private Errors leave(ClassicGroup group, MemberIdentity who) {
        String memberId = who.memberId() == null ? "" : who.memberId();
        GroupMember member;
        if (who.groupInstanceId() != null) {
            String current = group.staticMembers.get(who.groupInstanceId());
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            member = group.member(current);
        } else {
            Deadline pending = group.pendingMembers.remove(memberId);
            if (pending != null) {
                pending.cancel();
                if (group.is(GroupState.PREPARING_REBALANCE)) {
                    maybeCompleteJoin(group);
                }
                return Errors.NONE;
            }
            member = group.member(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
        }
        removeMemberAndUpdateGroup(group, member, "member " + member.memberId + " left");
        return Errors.NONE;
    }

    // ---------------------------------------------------------------- offsets

    /**
     * OffsetCommit: validated against the group (a generation of -1 with no member id is an admin
     * or standalone commit, accepted while the group is Empty or absent), written to the log and
     * answered per partition once appended.
     */
    public void commitOffsets(String groupId, String memberId, String instanceId, int generationId,
            Map<TopicPartition, PartitionOffset> offsets, Consumer<Map<TopicPartition, Errors>> callback) {
        if (!validGroupId(groupId)) {
            callback.accept(allPartitions(offsets.keySet(), Errors.INVALID_GROUP_ID));
            return;
        }
        Errors status = status(groupId);
        if (status != Errors.NONE) {
            callback.accept(allPartitions(offsets.keySet(), status));
            return;
        }
        String member = memberId == null ? "" : memberId;
        boolean standalone = generationId < 0 && member.isEmpty() && instanceId == null;
        if (!standalone) {
            ClassicGroup group = groups.get(groupId);
            if (group == null) {
                callback.accept(allPartitions(offsets.keySet(), Errors.ILLEGAL_GENERATION));
            } else {
                commitLocked(group, member, instanceId, generationId, offsets, callback);
            }
            return;
        }
        // Retention or DeleteGroups may remove an Empty group between the lookup and the lock; a
        // standalone commit then goes to the group that replaces it, so it never fails for that.
        ClassicGroup group = getOrCreate(groupId);
        while (!commitLocked(group, member, instanceId, generationId, offsets, callback)) {
            group = getOrCreate(groupId); // the removed group left the map under its lock
        }
    }

    /**
     * Validates and writes a commit under the group's lock.
     *
     * @return false, having answered nothing, when a standalone commit finds the group removed
     */
    private boolean commitLocked(ClassicGroup group, String member, String instanceId, int generationId,
            Map<TopicPartition, PartitionOffset> offsets, Consumer<Map<TopicPartition, Errors>> callback) {
        String groupId = group.groupId;
        synchronized (group) {
            if (group.is(GroupState.DEAD) && generationId < 0 && member.isEmpty() && instanceId == null) {
                return false;
            }
            Errors invalid = validateOffsetCommit(group, member, instanceId, generationId);
            if (invalid != Errors.NONE) {
                callback.accept(allPartitions(offsets.keySet(), invalid));
                return true;
            }
            if (group.member(member) != null) {
                scheduleHeartbeat(group, group.member(member));
            }
            Map<TopicPartition, Errors> results = new LinkedHashMap<>();
            Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
            long now = time.milliseconds();
            for (Map.Entry<TopicPartition, PartitionOffset> e : offsets.entrySet()) {
                PartitionOffset o = e.getValue();
                String metadata = o.metadata() == null ? "" : o.metadata();
                if (metadata.length() > config.offsetMetadataMaxBytes()) {
                    results.put(e.getKey(), Errors.OFFSET_METADATA_TOO_LARGE);
                } else {
                    accepted.put(e.getKey(), new CommittedOffset(o.offset(), o.leaderEpoch(), metadata, now));
                    results.put(e.getKey(), Errors.NONE);
                }
            }
            if (accepted.isEmpty()) {
                callback.accept(results);
                return true;
            }
            List<byte[][]> records = new ArrayList<>(accepted.size());
            for (Map.Entry<TopicPartition, CommittedOffset> e : accepted.entrySet()) {
                records.add(new byte[][] {CoordinatorRecords.offsetCommitKey(groupId, e.getKey()),
                        CoordinatorRecords.offsetCommitValue(e.getValue())});
            }
            append(group, records, error -> {
                if (error == Errors.NONE) {
                    if (!group.is(GroupState.DEAD)) {
                        group.offsets.putAll(accepted);
                    }
                } else {
                    for (TopicPartition tp : accepted.keySet()) {
                        results.put(tp, error);
                    }
                }
                callback.accept(results);
            });
        }
        return true;
    }

    private static Errors validateOffsetCommit(ClassicGroup group, String memberId, String instanceId,
            int generationId) {
        if (group.is(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && memberId.isEmpty() && instanceId == null) {
            return group.is(GroupState.EMPTY) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.is(GroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors invalid = validateMember(group, memberId, instanceId);
        if (invalid != Errors.NONE) {
            return invalid;
        }
        if (generationId != group.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        return group.is(GroupState.COMPLETING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    private static Map<TopicPartition, Errors> allPartitions(Collection<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            results.put(tp, error);
        }
        return results;
    }

    /**
     * OffsetFetch: the committed offsets of {@code partitions}, or of every partition with one
     * when {@code partitions} is null. Commits are visible only once appended, so every answer is
     * stable and {@code require_stable} needs no waiting (there are no transactional offsets).
     */
    public OffsetFetchResult fetchOffsets(String groupId, List<TopicPartition> partitions) {
        if (!validGroupId(groupId)) {
            return new OffsetFetchResult(Errors.INVALID_GROUP_ID, Map.of());
        }
        Errors status = status(groupId);
        if (status != Errors.NONE) {
            return new OffsetFetchResult(status, Map.of());
        }
        Map<TopicPartition, CommittedOffset> result = new LinkedHashMap<>();
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (partitions != null) {
                for (TopicPartition tp : partitions) {
                    result.put(tp, null);
                }
            }
            return new OffsetFetchResult(Errors.NONE, result);
        }
        synchronized (group) {
            if (partitions == null) {
                group.offsets.keySet().stream().sorted().forEach(tp -> result.put(tp, group.offsets.get(tp)));
            } else {
                for (TopicPartition tp : partitions) {
                    result.put(tp, group.offsets.get(tp));
                }
            }
        }
        return new OffsetFetchResult(Errors.NONE, result);
    }

    /**
     * OffsetDelete: removes committed offsets (writing tombstones), except those of topics a
     * non-empty consumer group subscribes to.
     */
    public void deleteOffsets(String groupId, List<TopicPartition> partitions, Consumer<OffsetDeleteResult> callback) {
        if (!validGroupId(groupId)) {
            callback.accept(new OffsetDeleteResult(Errors.INVALID_GROUP_ID, Map.of()));
            return;
        }
        Errors status = status(groupId);
        if (status != Errors.NONE) {
            callback.accept(new OffsetDeleteResult(status, Map.of()));
            return;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            callback.accept(new OffsetDeleteResult(Errors.GROUP_ID_NOT_FOUND, Map.of()));
            return;
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                callback.accept(new OffsetDeleteResult(Errors.GROUP_ID_NOT_FOUND, Map.of()));
                return;
            }
            if (!group.members.isEmpty() && !CONSUMER_PROTOCOL_TYPE.equals(group.protocolType)) {
                callback.accept(new OffsetDeleteResult(Errors.NON_EMPTY_GROUP, Map.of()));
                return;
            }
            Map<TopicPartition, Errors> results = new LinkedHashMap<>();
            List<TopicPartition> removed = new ArrayList<>();
            List<byte[][]> records = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                if (group.isSubscribedTo(tp.topic())) {
                    results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    results.put(tp, Errors.NONE);
                    if (group.offsets.containsKey(tp)) {
                        removed.add(tp);
                        records.add(new byte[][] {CoordinatorRecords.offsetCommitKey(groupId, tp), null});
                    }
                }
            }
            if (records.isEmpty()) {
                callback.accept(new OffsetDeleteResult(Errors.NONE, results));
                return;
            }
            append(group, records, error -> {
                if (error == Errors.NONE) {
                    removed.forEach(group.offsets::remove);
                    callback.accept(new OffsetDeleteResult(Errors.NONE, results));
                } else {
                    callback.accept(new OffsetDeleteResult(error, Map.of()));
                }
            });
        }
    }

    // ---------------------------------------------------------------- admin

    /** ListGroups, optionally only those in {@code states} (empty: all). */
    public ListGroupsResult listGroups(Set<GroupState> states) {
        if (!active) {
            return new ListGroupsResult(Errors.NOT_COORDINATOR, List.of());
        }
        List<GroupOverview> list = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            synchronized (group) {
                if (group.is(GroupState.DEAD) || (!states.isEmpty() && !states.contains(group.state))) {
                    continue;
                }
                list.add(new GroupOverview(group.groupId, group.protocolType == null ? "" : group.protocolType,
                        group.state));
            }
        }
        list.sort((a, b) -> a.groupId().compareTo(b.groupId()));
        return new ListGroupsResult(loading.isEmpty() ? Errors.NONE : Errors.COORDINATOR_LOAD_IN_PROGRESS, list);
    }

    /** DescribeGroups for one group; an unknown group is described as Dead. */
    public GroupDescription describeGroup(String groupId) {
        if (!validGroupId(groupId)) {
            return new GroupDescription(Errors.INVALID_GROUP_ID, groupId, GroupState.DEAD, "", "", List.of());
        }
        Errors status = status(groupId);
        if (status != Errors.NONE) {
            return new GroupDescription(status, groupId, GroupState.DEAD, "", "", List.of());
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return new GroupDescription(Errors.NONE, groupId, GroupState.DEAD, "", "", List.of());
        }
        synchronized (group) {
            boolean stable = group.is(GroupState.STABLE);
            List<GroupDescription.Member> members = new ArrayList<>();
            for (GroupMember m : group.members.values()) {
                members.add(new GroupDescription.Member(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                        stable ? m.metadata(group.protocolName) : new byte[0],
                        stable ? m.assignment : new byte[0]));
            }
            return new GroupDescription(Errors.NONE, groupId, group.state,
                    group.protocolType == null ? "" : group.protocolType,
                    stable ? group.protocolName : "", members);
        }
    }

    /**
     * DeleteGroups: each Empty group loses its offsets and metadata (tombstones) and becomes Dead.
     * Answers once every group's tombstones are appended.
     */
    public void deleteGroups(List<String> groupIds, Consumer<Map<String, Errors>> callback) {
        Map<String, Errors> results = new ConcurrentHashMap<>();
        AtomicInteger outstanding = new AtomicInteger(groupIds.size() + 1);
        Runnable done = () -> {
            if (outstanding.decrementAndGet() == 0) {
                Map<String, Errors> ordered = new LinkedHashMap<>();
                for (String id : groupIds) {
                    ordered.put(id, results.get(id));
                }
                callback.accept(ordered);
            }
        };
        for (String groupId : groupIds) {
            deleteGroup(groupId, error -> {
                results.putIfAbsent(groupId, error);
                done.run();
            });
        }
        done.run();
    }

    private void deleteGroup(String groupId, Consumer<Errors> done) {
        if (!validGroupId(groupId)) {
            done.accept(Errors.INVALID_GROUP_ID);
            return;
        }
        Errors status = status(groupId);
        if (status != Errors.NONE) {
            done.accept(status);
            return;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            done.accept(Errors.GROUP_ID_NOT_FOUND);
            return;
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                done.accept(Errors.GROUP_ID_NOT_FOUND);
                return;
            }
            if (!group.is(GroupState.EMPTY)) {
                done.accept(Errors.NON_EMPTY_GROUP);
                return;
            }
            List<byte[][]> records = new ArrayList<>();
            for (TopicPartition tp : group.offsets.keySet()) {
                records.add(new byte[][] {CoordinatorRecords.offsetCommitKey(groupId, tp), null});
            }
            records.add(new byte[][] {CoordinatorRecords.groupMetadataKey(groupId), null});
            append(group, records, error -> {
                if (error == Errors.NONE) {
                    markDead(group);
                }
                done.accept(error);
            });
        }
    }

    private void markDead(ClassicGroup group) {
        group.offsets.clear();
        group.transitionTo(GroupState.DEAD, time.milliseconds());
        groups.remove(group.groupId, group);
    }

    // ---------------------------------------------------------------- retention

    /**
     * Removes committed offsets older than {@code offsets.retention.minutes}, by Kafka's rules:
     * in an Empty group all of them, counted from when the group became Empty (from the commit
     * for a group that never had members); in a Stable consumer group those of topics no member
     * subscribes to, counted from the commit. An Empty group left without offsets is deleted too.
     * Tombstones are written for everything removed.
     *
     * @return the number of offsets removed
     */
    public int cleanupExpiredOffsets() {
        if (!active || partitionCount == 0) {
            return 0;
        }
        long now = time.milliseconds();
        AtomicInteger removedCount = new AtomicInteger();
        for (ClassicGroup group : groups.values()) {
            synchronized (group) {
                boolean empty = group.is(GroupState.EMPTY);
                boolean stableConsumers = group.is(GroupState.STABLE)
                        && CONSUMER_PROTOCOL_TYPE.equals(group.protocolType) && group.subscribedTopics != null;
                if (!(empty || stableConsumers) || loading.contains(partitionFor(group.groupId, partitionCount))) {
                    continue;
                }
                List<TopicPartition> expired = new ArrayList<>();
                for (Map.Entry<TopicPartition, CommittedOffset> e : group.offsets.entrySet()) {
                    if (stableConsumers && group.subscribedTopics.contains(e.getKey().topic())) {
                        continue;
                    }
                    long base = empty && group.protocolType != null ? group.currentStateTimestamp
                            : e.getValue().commitTimestamp();
                    if (now - base >= config.offsetsRetentionMs()) {
                        expired.add(e.getKey());
                    }
                }
                boolean deleteGroup = empty && expired.size() == group.offsets.size();
                if (expired.isEmpty() && !deleteGroup) {
                    continue;
                }
                List<byte[][]> records = new ArrayList<>();
                for (TopicPartition tp : expired) {
                    records.add(new byte[][] {CoordinatorRecords.offsetCommitKey(group.groupId, tp), null});
                }
                if (deleteGroup) {
                    records.add(new byte[][] {CoordinatorRecords.groupMetadataKey(group.groupId), null});
                }
                append(group, records, error -> {
                    if (error != Errors.NONE) {
                        logWriteFailure(group, error);
                        return;
                    }
                    expired.forEach(group.offsets::remove);
                    removedCount.addAndGet(expired.size());
                    if (deleteGroup) {
                        markDead(group);
                    }
                });
            }
        }
        return removedCount.get();
    }

    /**
     * Removes every group's committed offsets of a deleted topic, writing tombstones, as Kafka's
     * coordinator does: a topic created again under the same name starts without stale commits.
     *
     * @return the number of offsets removed
     */
    public int onTopicDeleted(String topic) {
        if (!active || partitionCount == 0) {
            return 0;
        }
        AtomicInteger removedCount = new AtomicInteger();
        for (ClassicGroup group : groups.values()) {
            synchronized (group) {
                if (group.is(GroupState.DEAD)) {
                    continue;
                }
                List<TopicPartition> gone = new ArrayList<>();
                List<byte[][]> records = new ArrayList<>();
                for (TopicPartition tp : group.offsets.keySet()) {
                    if (tp.topic().equals(topic)) {
                        gone.add(tp);
                        records.add(new byte[][] {CoordinatorRecords.offsetCommitKey(group.groupId, tp), null});
                    }
                }
                if (gone.isEmpty()) {
                    continue;
                }
                append(group, records, error -> {
                    if (error == Errors.NONE) {
                        gone.forEach(group.offsets::remove);
                        removedCount.addAndGet(gone.size());
                    } else {
                        logWriteFailure(group, error);
                    }
                });
            }
        }
        return removedCount.get();
    }

    // ---------------------------------------------------------------- the log

    private TopicPartition offsetsPartition(ClassicGroup group) {
        return new TopicPartition(OFFSETS_TOPIC, partitionFor(group.groupId, partitionCount));
    }

    private void appendGroupMetadata(ClassicGroup group, Consumer<Errors> done) {
        List<GroupMetadataValue.MemberMetadata> members = new ArrayList<>();
        for (GroupMember m : group.members.values()) {
            members.add(new GroupMetadataValue.MemberMetadata(m.memberId, m.groupInstanceId, m.clientId,
                    m.clientHost, m.rebalanceTimeoutMs, m.sessionTimeoutMs, m.metadata(group.protocolName),
                    m.assignment));
        }
        GroupMetadataValue value = new GroupMetadataValue(group.protocolType == null ? "" : group.protocolType,
                group.generationId, group.protocolName, group.leaderId, group.currentStateTimestamp, members);
        List<byte[][]> records = new ArrayList<>(1);
        records.add(new byte[][] {CoordinatorRecords.groupMetadataKey(group.groupId),
                CoordinatorRecords.groupMetadataValue(value)});
        append(group, records, done);
    }

    /**
     * Appends {@code records} (key, value; a null value is a tombstone) as one batch to the
     * group's offsets partition with acks=all and runs {@code done} with the outcome, mapped to
     * the errors Kafka's coordinator answers, under the group's monitor.
     */
    private void append(ClassicGroup group, List<byte[][]> records, Consumer<Errors> done) {
        TopicPartition tp = offsetsPartition(group);
        RecordBatchBuilder builder = new RecordBatchBuilder(0);
        long now = time.milliseconds();
        for (byte[][] r : records) {
            builder.append(now, r[0], r[1]);
        }
        ByteBuffer batch = builder.build();
        replicaManager.appendRecords((short) -1, config.offsetsCommitTimeoutMs(), Map.of(tp, batch), results -> {
            Errors error = appendError(results.get(tp).error());
            synchronized (group) {
                done.accept(error);
            }
        });
    }

    /** Kafka's mapping of a failed append to the offsets topic onto a coordinator error. */
    static Errors appendError(Errors error) {
        return switch (error) {
            case NONE -> Errors.NONE;
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
                    REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }

    private static void logWriteFailure(ClassicGroup group, Errors error) {
        if (error != Errors.NONE) {
            LOG.log(System.Logger.Level.WARNING, "Writing to __consumer_offsets for group " + group.groupId + " failed with " + error);
        }
    }

    // ---------------------------------------------------------------- replay

    private void loadAll() {
        for (int p = 0; p < partitionCount; p++) {
            if (!active) {
                return;
            }
            try {
                loadPartition(p);
            } catch (RuntimeException | IOException e) {
                LOG.log(System.Logger.Level.ERROR, "Loading partition " + p + " of __consumer_offsets failed; its groups"
                        + " start empty", e);
            } finally {
                loading.remove(p);
            }
        }
    }

    /** Replays one offsets partition into the in-memory groups. Package-private for tests. */
    void loadPartition(int partition) throws IOException {
        GroupLoader loader = new GroupLoader(replicaManager.partition(new TopicPartition(OFFSETS_TOPIC, partition)),
                config.offsetsLoadBufferSize());
        Map<String, GroupLoader.LoadedGroup> loaded = loader.load();
        long now = time.milliseconds();
        for (GroupLoader.LoadedGroup l : loaded.values()) {
            if (l.metadata == null && l.offsets.isEmpty()) {
                continue;
            }
            ClassicGroup group = new ClassicGroup(l.groupId, now);
            synchronized (group) {
                group.offsets.putAll(l.offsets);
                GroupMetadataValue v = l.metadata;
                if (v != null) {
                    group.protocolType = v.protocolType().isEmpty() && v.members().isEmpty() ? null : v.protocolType();
                    group.generationId = v.generation();
                    group.protocolName = v.protocol();
                    group.leaderId = v.leader();
                    for (GroupMetadataValue.MemberMetadata m : v.members()) {
                        GroupMember member = new GroupMember(m.memberId(), m.groupInstanceId(), m.clientId(),
                                m.clientHost(), m.rebalanceTimeout(), m.sessionTimeout(),
                                List.of(new JoinProtocol(v.protocol() == null ? "" : v.protocol(), m.subscription())));
                        member.assignment(m.assignment());
                        group.add(member);
                    }
                    if (group.members.isEmpty()) {
                        group.leaderId = null;
                        group.currentStateTimestamp = v.currentStateTimestamp() >= 0 ? v.currentStateTimestamp() : now;
                    } else {
                        group.state = GroupState.STABLE;
                        group.previousState = GroupState.STABLE;
                        group.subscribedTopics = subscribedTopics(group);
                        for (GroupMember m : group.members.values()) {
                            scheduleHeartbeat(group, m);
                        }
                    }
                }
                groups.put(l.groupId, group);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void answerJoin(GroupMember m, JoinGroupResult result) {
        Consumer<JoinGroupResult> cb = m.awaitingJoin;
        if (cb != null) {
            m.awaitingJoin = null;
            cb.accept(result);
        }
    }

    private static void answerSync(GroupMember m, SyncGroupResult result) {
        Consumer<SyncGroupResult> cb = m.awaitingSync;
        if (cb != null) {
            m.awaitingSync = null;
            cb.accept(result);
        }
    }

    private void schedule(Deadline deadline) {
        if (active) {
            timer.add(deadline);
        }
    }

    private static void cancel(Deadline deadline) {
        if (deadline != null) {
            deadline.cancel();
        }
    }

    /** The states a ListGroups filter names, ignoring unknown names as Kafka does. */
    public static Set<GroupState> statesFilter(List<String> names) {
        Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        if (names != null) {
            for (String n : names) {
                GroupState s = GroupState.forKafkaName(n);
                if (s != null) {
                    states.add(s);
                }
            }
        }
        return states;
    }
}
