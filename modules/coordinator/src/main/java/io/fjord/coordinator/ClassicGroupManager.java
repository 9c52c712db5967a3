package io.fjord.coordinator;

import io.fjord.api.TopicPartition;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.store.CoordinatorRecords;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The classic group protocol: JoinGroup (with static membership), SyncGroup, Heartbeat and
 * LeaveGroup, and the admin views and deletion of groups (ListGroups, DescribeGroups,
 * DeleteGroups). The phases and deadlines of a rebalance are the {@link ClassicGroupRebalancer}'s.
 *
 * <p>Callers have checked the group id and that the coordinator can answer for the group now.
 *
 * <p>Locking: an operation on a group holds the group's monitor from the moment it finds the
 * group to its answer (or the parking of its answer), so operations on one group are serialised
 * and different groups never contend. A group found in the registry may be Dead by the time it
 * is locked (deleted or unloaded in between); every operation checks that first.
 */
final class ClassicGroupManager {

    private final GroupCoordinatorConfig config;
    private final GroupRegistry groups;
    private final OffsetsTopic offsetsTopic;
    private final ClassicGroupRebalancer rebalancer;
    private final Time time;

    ClassicGroupManager(GroupCoordinatorConfig config, GroupRegistry groups, OffsetsTopic offsetsTopic,
            ClassicGroupRebalancer rebalancer, Time time) {
        this.config = config;
        this.groups = groups;
        this.offsetsTopic = offsetsTopic;
        this.rebalancer = rebalancer;
        this.time = time;
    }

    // ---------------------------------------------------------------- JoinGroup

    /** JoinGroup: answers through {@code callback} now or when the join phase completes. */
    void joinGroup(JoinGroupRequest req, Consumer<JoinGroupResult> callback) {
        if (req.sessionTimeoutMs() < config.groupMinSessionTimeoutMs()
                || req.sessionTimeoutMs() > config.groupMaxSessionTimeoutMs()) {
            callback.accept(JoinGroupResult.error(Errors.INVALID_SESSION_TIMEOUT, req.memberId()));
            return;
        }
        boolean newMember = req.memberId().isEmpty();
        ClassicGroup group = newMember ? groups.getOrCreate(req.groupId()) : groups.get(req.groupId());
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
        return switch (group.state()) {
            case EMPTY, DEAD -> true;
            case PREPARING_REBALANCE -> (existing != null && existing.isAwaitingJoin())
                    || group.awaitingJoinCount() < config.groupMaxSize();
            case COMPLETING_REBALANCE, STABLE -> existing != null || group.memberCount() < config.groupMaxSize();
        };
    }

    private void joinNewMember(ClassicGroup group, JoinGroupRequest req, Consumer<JoinGroupResult> callback) {
        String instanceId = req.groupInstanceId();
        String existingStatic = instanceId == null ? null : group.staticMemberId(instanceId);
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
                rebalancer.addPendingMember(group, newId, req.sessionTimeoutMs());
                callback.accept(JoinGroupResult.error(Errors.MEMBER_ID_REQUIRED, newId));
            } else {
                addMemberAndRebalance(group, req, newId, callback);
            }
        }
    }

    private void joinKnownMember(ClassicGroup group, JoinGroupRequest req, Consumer<JoinGroupResult> callback) {
        String memberId = req.memberId();
        Deadline pending = group.removePendingMember(memberId);
        if (pending != null) {
            pending.cancel();
            if (!hasRoomFor(group, "")) {
                callback.accept(JoinGroupResult.error(Errors.GROUP_MAX_SIZE_REACHED, memberId));
                return;
            }
            addMemberAndRebalance(group, req, memberId, callback);
            return;
        }
        Errors invalid = group.validateMember(memberId, req.groupInstanceId());
        if (invalid != Errors.NONE) {
            callback.accept(JoinGroupResult.error(invalid, memberId));
            return;
        }
        GroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> {
                updateMember(group, member, req, callback);
                rebalancer.maybeCompleteJoin(group);
            }
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(req.protocols())) {
                    rebalancer.scheduleHeartbeat(group, member);
                    callback.accept(currentGeneration(group, member));
                } else {
                    updateMember(group, member, req, callback);
                    rebalancer.prepareRebalance(group, "member " + memberId + " rejoined with new metadata");
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.sameProtocols(req.protocols())) {
                    updateMember(group, member, req, callback);
                    rebalancer.prepareRebalance(group, "leader or changed member " + memberId + " rejoined");
                } else {
                    rebalancer.scheduleHeartbeat(group, member);
                    callback.accept(currentGeneration(group, member));
                }
            }
            case EMPTY, DEAD -> callback.accept(JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    /**
     * A static member rejoining with an empty member id (a restarted instance), by Kafka's rules
     * (updateStaticMemberThenRebalanceOrCompleteJoin): it takes the old member's place under a
     * new id, and the old id is fenced.
     *
     * <p>In a Stable group whose chosen protocol stays the same (Kafka compares only that, not
     * the metadata bytes), nothing is rebalanced: the new id is written with the group's metadata
     * and the member is answered with the current generation and its old assignment. A returning
     * leader that speaks JoinGroup v9 is told it leads, with the members, and to skip the
     * assignment (KIP-814); before v9 it is answered as a follower under the old leader id, so it
     * syncs for the assignment it had instead of computing a new one. Any other case rebalances.
     */
    private void rejoinStaticMember(ClassicGroup group, GroupMember old, String newId, JoinGroupRequest req,
            Consumer<JoinGroupResult> callback) {
        String previousLeader = group.leaderId();
        old.answerJoin(JoinGroupResult.error(Errors.FENCED_INSTANCE_ID, old.memberId()));
        old.answerSync(SyncGroupResult.error(Errors.FENCED_INSTANCE_ID));
        ClassicGroupRebalancer.cancel(old.heartbeat());
        GroupMember fresh = GroupMember.joining(newId, req);
        fresh.assignment(old.assignment());
        group.replaceStaticMember(old, fresh);
        rebalancer.scheduleHeartbeat(group, fresh);
        fresh.parkJoin(callback);
        String instance = "static member " + old.groupInstanceId();
        switch (group.state()) {
            case STABLE -> {
                if (Objects.equals(group.protocolName(), group.selectProtocol())) {
                    persistStaticMemberReplacement(group, old, fresh, previousLeader, req.supportsSkippingAssignment());
                } else {
                    rebalancer.prepareRebalance(group, instance + " rejoined with a change of protocol");
                }
            }
            // The leader may be assigning to the old id already: only a new generation is consistent.
            case COMPLETING_REBALANCE -> rebalancer.prepareRebalance(group, instance + " rejoined during a rebalance");
            case PREPARING_REBALANCE -> rebalancer.maybeCompleteJoin(group);
            case EMPTY, DEAD -> throw new IllegalStateException("Group " + group.groupId() + " has a "
                    + instance + " while " + group.state().kafkaName());
        }
    }

    /**
     * Writes the group's metadata with the static member's new id, so a restart does not bring
     * back the fenced one, then answers it. If the write fails, the old id stands again (as in
     * Kafka) and the new instance gets the error and retries. A rebalance that answered the
     * member meanwhile has the last word.
     */
    private void persistStaticMemberReplacement(ClassicGroup group, GroupMember old, GroupMember fresh,
            String previousLeader, boolean canSkipAssignment) {
        offsetsTopic.writeGroupMetadata(group, error -> {
            if (!fresh.isAwaitingJoin()) {
                return;
            }
            if (error == Errors.NONE) {
                boolean skip = canSkipAssignment && group.isLeader(fresh.memberId());
                fresh.answerJoin(skip
                        ? new JoinGroupResult(Errors.NONE, group.generationId(), group.protocolName(), fresh.memberId(),
                                fresh.memberId(), group.membersForLeader(), true)
                        : new JoinGroupResult(Errors.NONE, group.generationId(), group.protocolName(), previousLeader,
                                fresh.memberId(), List.of()));
                return;
            }
            fresh.answerJoin(JoinGroupResult.error(error, ""));
            ClassicGroupRebalancer.cancel(fresh.heartbeat());
            group.replaceStaticMember(fresh, old);
            rebalancer.scheduleHeartbeat(group, old);
        });
    }

    private void addMemberAndRebalance(ClassicGroup group, JoinGroupRequest req, String memberId,
            Consumer<JoinGroupResult> callback) {
        GroupMember member = GroupMember.joining(memberId, req);
        member.parkJoin(callback);
        group.add(member, req.protocolType());
        rebalancer.scheduleHeartbeat(group, member);
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            rebalancer.maybeCompleteJoin(group);
        } else {
            rebalancer.prepareRebalance(group, "member " + memberId + " joined");
        }
    }

    private void updateMember(ClassicGroup group, GroupMember member, JoinGroupRequest req,
            Consumer<JoinGroupResult> callback) {
        member.update(req);
        // A repeated join from the same member replaces the parked one, which must still be answered.
        member.answerJoin(JoinGroupResult.error(Errors.REBALANCE_IN_PROGRESS, member.memberId()));
        member.parkJoin(callback);
        rebalancer.scheduleHeartbeat(group, member);
    }

    private static JoinGroupResult currentGeneration(ClassicGroup group, GroupMember member) {
        return new JoinGroupResult(Errors.NONE, group.generationId(), group.protocolName(), group.leaderId(),
                member.memberId(), group.isLeader(member.memberId()) ? group.membersForLeader() : List.of());
    }

    // ---------------------------------------------------------------- SyncGroup, Heartbeat, LeaveGroup

    /**
     * SyncGroup: the leader's assignments are written to the log with the group's metadata, then
     * every member parked in this phase gets its own; followers wait until then.
     *
     * <p>Ownership: the assignment arrays are kept; the caller hands over copies.
     */
    void syncGroup(String groupId, int generationId, String memberId, String instanceId,
            Map<String, byte[]> assignments, Consumer<SyncGroupResult> callback) {
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
            Errors invalid = group.validateMember(memberId, instanceId);
            if (invalid != Errors.NONE) {
                callback.accept(SyncGroupResult.error(invalid));
                return;
            }
            if (generationId != group.generationId()) {
                callback.accept(SyncGroupResult.error(Errors.ILLEGAL_GENERATION));
                return;
            }
            GroupMember member = group.member(memberId);
            switch (group.state()) {
                case EMPTY, DEAD -> callback.accept(SyncGroupResult.error(Errors.UNKNOWN_MEMBER_ID));
                case PREPARING_REBALANCE -> callback.accept(SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
                case STABLE -> {
                    rebalancer.scheduleHeartbeat(group, member);
                    group.synced(memberId);
                    callback.accept(new SyncGroupResult(Errors.NONE, member.assignment()));
                }
                case COMPLETING_REBALANCE -> {
                    member.answerSync(SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
                    member.parkSync(callback);
                    group.synced(memberId);
                    rebalancer.scheduleHeartbeat(group, member);
                    if (group.isLeader(memberId)) {
                        rebalancer.completeSync(group, assignments);
                    }
                }
            }
        }
    }

    /** Heartbeat: keeps the member's session and tells it whether to rejoin. */
    Errors heartbeat(String groupId, String memberId, String instanceId, int generationId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        synchronized (group) {
            if (group.is(GroupState.DEAD)) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            Errors invalid = group.validateMember(memberId, instanceId);
            if (invalid != Errors.NONE) {
                return invalid;
            }
            if (generationId != group.generationId()) {
                return Errors.ILLEGAL_GENERATION;
            }
            rebalancer.scheduleHeartbeat(group, group.member(memberId));
            return group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
        }
    }

    /** LeaveGroup for one or more members (v3+ batches them; older versions send one). */
    LeaveGroupResult leaveGroup(String groupId, List<MemberIdentity> leaving) {
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
            String current = group.staticMemberId(who.groupInstanceId());
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            member = group.member(current);
        } else {
            Deadline pending = group.removePendingMember(memberId);
            if (pending != null) {
                pending.cancel();
                rebalancer.maybeCompleteJoin(group);
                return Errors.NONE;
            }
            member = group.member(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
        }
        rebalancer.removeMemberAndUpdateGroup(group, member, "member " + member.memberId() + " left");
        return Errors.NONE;
    }

    // ---------------------------------------------------------------- ListGroups, DescribeGroups, DeleteGroups

    /** The groups in {@code states} (empty: all), by id; groups of partitions still loading are not known yet. */
    List<GroupOverview> listGroups(Set<GroupState> states) {
        List<GroupOverview> list = new ArrayList<>();
        for (ClassicGroup group : groups.all()) {
            synchronized (group) {
                if (group.is(GroupState.DEAD) || (!states.isEmpty() && !states.contains(group.state()))) {
                    continue;
                }
                list.add(new GroupOverview(group.groupId(),
                        group.protocolType() == null ? "" : group.protocolType(), group.state()));
            }
        }
        list.sort((a, b) -> a.groupId().compareTo(b.groupId()));
        return list;
    }

    /** DescribeGroups for one group; an unknown group is described as Dead. */
    GroupDescription describeGroup(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return new GroupDescription(Errors.NONE, groupId, GroupState.DEAD, "", "", List.of());
        }
        synchronized (group) {
            boolean stable = group.is(GroupState.STABLE);
            List<GroupDescription.Member> members = new ArrayList<>();
            for (GroupMember m : group.members()) {
                members.add(new GroupDescription.Member(m.memberId(), m.groupInstanceId(), m.clientId(),
                        m.clientHost(), stable ? m.metadata(group.protocolName()) : new byte[0],
                        stable ? m.assignment() : new byte[0]));
            }
            return new GroupDescription(Errors.NONE, groupId, group.state(),
                    group.protocolType() == null ? "" : group.protocolType(),
                    stable ? group.protocolName() : "", members);
        }
    }

    /**
     * DeleteGroups: each Empty group loses its offsets and metadata (tombstones, replayed once
     * written) and becomes Dead. Answers once every group's tombstones are appended.
     *
     * @param check the error to answer for a group before looking at it (NONE to go on)
     */
    void deleteGroups(List<String> groupIds, Function<String, Errors> check,
            Consumer<Map<String, Errors>> callback) {
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
            Consumer<Errors> answer = error -> {
                results.putIfAbsent(groupId, error);
                done.run();
            };
            Errors error = check.apply(groupId);
            if (error != Errors.NONE) {
                answer.accept(error);
            } else {
                deleteGroup(groupId, answer);
            }
        }
        done.run();
    }

    private void deleteGroup(String groupId, Consumer<Errors> done) {
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
            List<CoordinatorRecords.Decoded> records = new ArrayList<>();
            for (TopicPartition tp : group.offsets().keySet()) {
                records.add(new CoordinatorRecords.OffsetCommit(groupId, tp, null));
            }
            records.add(new CoordinatorRecords.GroupMetadata(groupId, null));
            offsetsTopic.write(group, records, done);
        }
    }

    // ---------------------------------------------------------------- unload, shutdown

    /**
     * Drops every group, as Kafka's coordinator does for the partitions it no longer owns: parked
     * joins and syncs are answered NOT_COORDINATOR, deadlines cancelled, groups Dead. Their
     * clients look the coordinator up again and start over.
     */
    void unloadAll() {
        for (ClassicGroup group : groups.all()) {
            synchronized (group) {
                if (group.is(GroupState.DEAD)) {
                    continue;
                }
                answerParked(group, Errors.NOT_COORDINATOR);
                group.deadlines().forEach(ClassicGroupRebalancer::cancel);
                groups.remove(group);
            }
        }
    }

    /** Answers every parked join and sync of every group with {@code error}. */
    /**
     * Drops the groups whose ids {@code held} matches (their offsets partition moved to another
     * coordinator): parked requests are answered NOT_COORDINATOR and each group goes Dead here.
     */
    void unload(java.util.function.Predicate<String> held) {
        for (ClassicGroup group : List.copyOf(groups.all())) {
            if (held.test(group.groupId())) {
                synchronized (group) {
                    answerParked(group, Errors.NOT_COORDINATOR);
                    if (!group.is(GroupState.DEAD)) {
                        groups.remove(group);
                    }
                }
            }
        }
    }

    void answerAllParked(Errors error) {
        for (ClassicGroup group : groups.all()) {
            synchronized (group) {
                answerParked(group, error);
            }
        }
    }

    private static void answerParked(ClassicGroup group, Errors error) {
        for (GroupMember m : group.members()) {
            m.answerJoin(JoinGroupResult.error(error, m.memberId()));
            m.answerSync(SyncGroupResult.error(error));
        }
    }
}
