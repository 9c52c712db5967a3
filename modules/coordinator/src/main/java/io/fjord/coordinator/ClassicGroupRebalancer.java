package io.fjord.coordinator;

import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.timer.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Moves classic groups through a rebalance (PreparingRebalance, CompletingRebalance, Stable) and
 * keeps the deadlines that bound each phase, each member's session and each pending member id.
 *
 * <p>Every method but {@link #startSessions} (which locks each group itself) is called under the
 * group's monitor. Deadlines run on the timer's thread: each takes the group's monitor and then
 * checks that it is still the group's live deadline of its kind (the group drops replaced ones),
 * so a deadline that fires late does nothing.
 */
final class ClassicGroupRebalancer {

    private static final System.Logger LOG = System.getLogger(ClassicGroupRebalancer.class.getName());

    private final GroupCoordinatorConfig config;
    private final OffsetsTopic offsetsTopic;
    private final Time time;
    private final Timer timer;
    private final BooleanSupplier active;

    /** @param active false once the coordinator shuts down: no deadline is scheduled after that */
    ClassicGroupRebalancer(GroupCoordinatorConfig config, OffsetsTopic offsetsTopic, Time time, Timer timer,
            BooleanSupplier active) {
        this.config = config;
        this.offsetsTopic = offsetsTopic;
        this.time = time;
        this.timer = timer;
        this.active = active;
    }

    // ---------------------------------------------------------------- join phase

    /**
     * Moves the group to PreparingRebalance: parked syncs of the old generation are answered with
     * REBALANCE_IN_PROGRESS and a join deadline is set: for a new group the initial delay
     * ({@code group.initial.rebalance.delay.ms}, extended while members keep arriving, up to the
     * rebalance timeout), otherwise the longest rebalance timeout of the members.
     */
    void prepareRebalance(ClassicGroup group, String reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Preparing to rebalance group " + group.groupId() + ": " + reason);
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            for (GroupMember m : group.members()) {
                m.assignment(null);
                m.answerSync(SyncGroupResult.error(Errors.REBALANCE_IN_PROGRESS));
            }
        }
        cancel(group.syncDeadline());
        group.syncDeadline(null);
        group.clearPendingSync();
        boolean initial = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, time.milliseconds());
        if (initial) {
            int delay = config.groupInitialRebalanceDelayMs();
            group.newMemberAdded(false);
            scheduleInitialDelay(group, delay, Math.max(group.rebalanceTimeoutMs() - delay, 0));
        } else {
            scheduleJoinDeadline(group, group.rebalanceTimeoutMs(), () -> completeJoin(group));
            maybeCompleteJoin(group);
        }
    }

    private void scheduleInitialDelay(ClassicGroup group, int delayMs, int remainingMs) {
        scheduleJoinDeadline(group, delayMs, () -> {
            if (group.newMemberAdded() && remainingMs > 0) {
                group.newMemberAdded(false);
                int next = Math.min(delayMs, remainingMs);
                scheduleInitialDelay(group, next, remainingMs - next);
            } else {
                completeJoin(group);
            }
        });
    }

    private void scheduleJoinDeadline(ClassicGroup group, long delayMs, Runnable onExpiry) {
        cancel(group.joinDeadline());
        Deadline deadline = new Deadline(delayMs);
        deadline.action(() -> {
            synchronized (group) {
                if (group.joinDeadline() == deadline && group.is(GroupState.PREPARING_REBALANCE)) {
                    group.joinDeadline(null);
                    onExpiry.run();
                }
            }
        });
        group.joinDeadline(deadline);
        schedule(deadline);
    }

    /** Completes the join phase early once every member (and pending id) has rejoined. */
    void maybeCompleteJoin(ClassicGroup group) {
        // The initial delay is never cut short: more members are expected to arrive.
        if (group.is(GroupState.PREPARING_REBALANCE) && group.allMembersJoined()
                && group.previousState() != GroupState.EMPTY) {
            completeJoin(group);
        }
    }

    /**
     * Ends the join phase: members that did not rejoin are removed, the generation grows, the
     * protocol is chosen and every joined member gets its answer (the leader with the member
     * list). A group left without members becomes Empty and its metadata is written at once.
     */
    private void completeJoin(ClassicGroup group) {
        cancel(group.joinDeadline());
        group.joinDeadline(null);
        for (GroupMember m : new ArrayList<>(group.members())) {
            if (!m.isAwaitingJoin()) {
                LOG.log(System.Logger.Level.DEBUG, () -> "Removing member " + m.memberId() + " of " + group.groupId()
                        + ": it did not rejoin within the rebalance timeout");
                removeMember(group, m);
            }
        }
        group.initNextGeneration(time.milliseconds());
        if (group.is(GroupState.EMPTY)) {
            offsetsTopic.writeGroupMetadata(group, error -> logWriteFailure(group, error));
            return;
        }
        List<JoinGroupResult.Member> forLeader = group.membersForLeader();
        for (GroupMember m : group.members()) {
            boolean leader = group.isLeader(m.memberId());
            m.answerJoin(new JoinGroupResult(Errors.NONE, group.generationId(), group.protocolName(), group.leaderId(),
                    m.memberId(), leader ? forLeader : List.of()));
            scheduleHeartbeat(group, m);
        }
        group.expectSyncFromAll();
        int generation = group.generationId();
        Deadline deadline = new Deadline(group.rebalanceTimeoutMs());
        deadline.action(() -> {
            synchronized (group) {
                if (group.syncDeadline() == deadline && group.generationId() == generation) {
                    group.syncDeadline(null);
                    expirePendingSync(group);
                }
            }
        });
        group.syncDeadline(deadline);
        schedule(deadline);
    }

    // ---------------------------------------------------------------- sync phase

    /**
     * Ends the sync phase with the leader's assignments: they are written with the group's
     * metadata, then every parked member gets its own and the group is Stable. A failed write
     * answers the parked members with its error and rebalances.
     *
     * <p>Ownership: the assignment arrays are kept.
     */
    void completeSync(ClassicGroup group, Map<String, byte[]> assignments) {
        for (GroupMember m : group.members()) {
            m.assignment(assignments.get(m.memberId()));
        }
        int generation = group.generationId();
        offsetsTopic.writeGroupMetadata(group, error -> {
            if (group.generationId() != generation || !group.is(GroupState.COMPLETING_REBALANCE)) {
                return;
            }
            if (error != Errors.NONE) {
                for (GroupMember m : group.members()) {
                    m.assignment(null);
                    m.answerSync(SyncGroupResult.error(error));
                }
                prepareRebalance(group, "writing the group's assignment failed with " + error);
                return;
            }
            for (GroupMember m : group.members()) {
                m.answerSync(new SyncGroupResult(Errors.NONE, m.assignment()));
            }
            group.transitionTo(GroupState.STABLE, time.milliseconds());
        });
    }

    /** Members that did not sync within the rebalance timeout are removed and the group rebalances. */
    private void expirePendingSync(ClassicGroup group) {
        List<String> late = group.pendingSyncMembers();
        if (late.isEmpty() || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))) {
            return;
        }
        for (String id : late) {
            GroupMember m = group.member(id);
            if (m != null) {
                removeMember(group, m);
            }
        }
        group.clearPendingSync();
        prepareRebalance(group, "members did not sync within the rebalance timeout");
    }

    // ---------------------------------------------------------------- members leaving

    /** Removes a member, answering its parked requests with UNKNOWN_MEMBER_ID. */
    private static void removeMember(ClassicGroup group, GroupMember member) {
        member.answerJoin(JoinGroupResult.error(Errors.UNKNOWN_MEMBER_ID, member.memberId()));
        member.answerSync(SyncGroupResult.error(Errors.UNKNOWN_MEMBER_ID));
        cancel(member.heartbeat());
        member.heartbeat(null);
        group.remove(member);
    }

    /** Removes a member (left, expired, fenced) and moves the group on as its state requires. */
    void removeMemberAndUpdateGroup(ClassicGroup group, GroupMember member, String reason) {
        removeMember(group, member);
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            case EMPTY, DEAD -> { }
        }
    }

    // ---------------------------------------------------------------- sessions and pending ids

    /** Starts or moves the member's session deadline ({@code session.timeout.ms} from now). */
    void scheduleHeartbeat(ClassicGroup group, GroupMember member) {
        Deadline current = member.heartbeat();
        if (current == null || current.delayMs() != member.sessionTimeoutMs()) {
            cancel(current);
            Deadline deadline = new Deadline(member.sessionTimeoutMs());
            deadline.action(() -> {
                synchronized (group) {
                    if (group.member(member.memberId()) != member || member.heartbeat() != deadline) {
                        return;
                    }
                    if (member.isAwaitingJoin() || member.isAwaitingSync()) {
                        // A member with a parked request is alive; the phase's own deadline limits it.
                        schedule(deadline);
                        return;
                    }
                    LOG.log(System.Logger.Level.DEBUG, () -> "Session of member " + member.memberId() + " of "
                            + group.groupId() + " expired");
                    removeMemberAndUpdateGroup(group, member, "session of " + member.memberId() + " expired");
                }
            });
            member.heartbeat(deadline);
        }
        schedule(member.heartbeat());
    }

    /** Starts the sessions of the members of groups just loaded, as if each had just heartbeated. */
    void startSessions(List<ClassicGroup> loaded) {
        for (ClassicGroup group : loaded) {
            synchronized (group) {
                for (GroupMember m : group.members()) {
                    scheduleHeartbeat(group, m);
                }
            }
        }
    }

    /**
     * Holds a member id handed out with MEMBER_ID_REQUIRED for one session timeout; a join phase
     * waits for it until then.
     */
    void addPendingMember(ClassicGroup group, String memberId, int sessionTimeoutMs) {
        Deadline expiry = new Deadline(sessionTimeoutMs);
        expiry.action(() -> {
            synchronized (group) {
                if (group.removePendingMember(memberId, expiry)) {
                    maybeCompleteJoin(group);
                }
            }
        });
        group.addPendingMember(memberId, expiry);
        schedule(expiry);
    }

    private void schedule(Deadline deadline) {
        if (active.getAsBoolean()) {
            timer.add(deadline);
        }
    }

    static void cancel(Deadline deadline) {
        if (deadline != null) {
            deadline.cancel();
        }
    }

    static void logWriteFailure(ClassicGroup group, Errors error) {
        if (error != Errors.NONE) {
            LOG.log(System.Logger.Level.WARNING, "Writing to __consumer_offsets for group " + group.groupId()
                    + " failed with " + error);
        }
    }
}
