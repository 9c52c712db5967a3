package io.fjord.client.consumer.internals;

import io.fjord.api.consumer.ConsumerGroupMetadata;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.consumer.PartitionAssignor.Assignment;
import io.fjord.api.consumer.PartitionAssignor.RebalanceProtocol;
import io.fjord.assignors.protocol.ConsumerProtocol;
import io.fjord.client.consumer.ConsumerConfig;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.HeartbeatRequest;
import io.fjord.protocol.message.HeartbeatResponse;
import io.fjord.protocol.message.JoinGroupRequest;
import io.fjord.protocol.message.JoinGroupResponse;
import io.fjord.protocol.message.LeaveGroupRequest;
import io.fjord.protocol.message.LeaveGroupResponse;
import io.fjord.protocol.message.SyncGroupRequest;
import io.fjord.protocol.message.SyncGroupResponse;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Membership of a classic consumer group: JoinGroup and SyncGroup driven from {@code poll},
 * heartbeats on a thread of their own, LeaveGroup on close and when {@code max.poll.interval.ms}
 * passes without a poll. What a rebalance does to the consumer (its subscription, the leader's
 * assignment, revoking and assigning partitions) is {@link ConsumerRebalance}'s. A generation lost
 * (fenced, expired) reports the partitions as lost.
 *
 * <p>Invariants: group state (generation, member id, state) changes only under this object's
 * monitor; the rebalance listener and the assignor run only on the application's thread.
 */
public final class GroupMembership {

    enum State { UNJOINED, JOINING, SYNCING, STABLE }

    private static final System.Logger LOG = System.getLogger(GroupMembership.class.getName());

    private final ConsumerConfig config;
    private final GroupCoordinatorClient coordinator;
    private final ConsumerNetwork network;
    private final ConsumerRebalance rebalance;
    private final ConsumerMetrics metrics;
    private final Thread heartbeatThread;

    private State state = State.UNJOINED;
    private int generation = -1;
    private String memberId = "";
    private String protocolName;
    private boolean rejoinNeeded = true;
    private boolean generationLost;
    private boolean joinPrepared;
    private CompletableFuture<JoinGroupResponse> pendingJoin;
    private CompletableFuture<SyncGroupResponse> pendingSync;
    private long lastPollMs = System.currentTimeMillis();
    private long lastHeartbeatSendMs;
    private long lastHeartbeatOkMs;
    private boolean heartbeatInFlight;
    private volatile boolean closed;
    private ClientException fatal;

    public GroupMembership(ConsumerConfig config, GroupCoordinatorClient coordinator, ConsumerMetadata metadata,
                           SubscriptionState subscriptions, ConsumerNetwork network, List<PartitionAssignor> assignors,
                           ConsumerMetrics metrics, Runnable beforeRebalance) {
        this.config = config;
        this.coordinator = coordinator;
        this.network = network;
        this.rebalance = new ConsumerRebalance(config, metadata, subscriptions, network, assignors, beforeRebalance);
        this.metrics = metrics;
        this.heartbeatThread = new Thread(this::heartbeatLoop, "fjord-consumer-heartbeat-" + config.clientId);
        heartbeatThread.setDaemon(true);
        heartbeatThread.start();
    }

    public RebalanceProtocol protocol() {
        return rebalance.protocol();
    }

    public synchronized ConsumerGroupMetadata groupMetadata() {
        return new ConsumerGroupMetadata(config.groupId, generation, memberId, Optional.ofNullable(config.groupInstanceId));
    }

    /** The generation and member id for a commit, or empty while a rebalance is under way. */
    public synchronized Optional<ConsumerGroupMetadata> stableGeneration() {
        return state == State.STABLE && generation >= 0 ? Optional.of(groupMetadata()) : Optional.empty();
    }

    /** Whether a JoinGroup or SyncGroup is under way. */
    public synchronized boolean rebalanceInProgress() {
        return state == State.JOINING || state == State.SYNCING;
    }

    public synchronized boolean isStable() {
        return state == State.STABLE && !rejoinNeeded;
    }

    /** Asks for a rejoin at the next poll (the subscription changed). */
    public synchronized void requestRejoin() {
        rejoinNeeded = true;
        network.signal();
    }

    /** Marks the start of a poll: the heartbeat thread measures {@code max.poll.interval.ms} from it. */
    public synchronized void pollStarted(long nowMs) {
        lastPollMs = nowMs;
        if (fatal != null) {
            ClientException e = fatal;
            fatal = null;
            throw e;
        }
    }

    public synchronized boolean needsJoin() {
        return rejoinNeeded || state != State.STABLE;
    }

    /**
     * Moves the group protocol along for at most {@code timeoutMs}: finds the coordinator, joins,
     * assigns (as leader), syncs and applies the assignment. Returns whether the member is stable.
     */
    public boolean ensureActiveGroup(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            if (!needsJoin()) {
                return true;
            }
            if (!coordinator.known()) {
                coordinator.lookupIfNeeded();
                if (!coordinator.known()) {
                    network.await(remaining(deadline), coordinator::lookupDone);
                    coordinator.lookupIfNeeded();
                    if (!coordinator.known()) {
                        if (remaining(deadline) <= 0) {
                            return false;
                        }
                        network.await(Math.min(config.retryBackoffMs, remaining(deadline)), () -> false);
                        continue;
                    }
                }
            }
            if (pendingJoin == null && pendingSync == null) {
                if (!joinPrepared) {
                    onJoinPrepare();
                    joinPrepared = true;
                }
                pendingJoin = sendJoinGroup();
            }
            if (pendingJoin != null) {
                if (!network.await(remaining(deadline), pendingJoin)) {
                    return false;
                }
                CompletableFuture<JoinGroupResponse> join = pendingJoin;
                pendingJoin = null;
                if (!handleJoin(join)) {
                    if (remaining(deadline) <= 0) {
                        return false;
                    }
                    continue;
                }
            }
            if (pendingSync != null) {
                if (!network.await(remaining(deadline), pendingSync)) {
                    return false;
                }
                CompletableFuture<SyncGroupResponse> sync = pendingSync;
                pendingSync = null;
                handleSync(sync);
            }
            if (remaining(deadline) <= 0) {
                return !needsJoin();
            }
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.currentTimeMillis());
    }

    // ---- join

    private void onJoinPrepare() {
        rebalance.commitBeforeJoin();
        boolean lost;
        synchronized (this) {
            lost = generationLost;
            generationLost = false;
        }
        rebalance.onJoinPrepare(lost);
    }

    private CompletableFuture<JoinGroupResponse> sendJoinGroup() {
        JoinGroupRequest request;
        int joiningGeneration;
        synchronized (this) {
            state = State.JOINING;
            joiningGeneration = generation;
            request = new JoinGroupRequest().setGroupId(config.groupId).setSessionTimeoutMs(config.sessionTimeoutMs)
                    .setRebalanceTimeoutMs(config.maxPollIntervalMs).setMemberId(memberId)
                    .setGroupInstanceId(config.groupInstanceId).setProtocolType(ConsumerProtocol.PROTOCOL_TYPE)
                    .setReason("joining the group");
        }
        request.protocols().addAll(rebalance.joinProtocols(joiningGeneration));
        LOG.log(System.Logger.Level.DEBUG, () -> "Joining group " + config.groupId + " as " + config.clientId);
        return coordinator.send(request, JoinGroupResponse.class);
    }

    /** Takes in a JoinGroup answer; returns whether a SyncGroup is now under way. */
    private boolean handleJoin(CompletableFuture<JoinGroupResponse> join) {
        JoinGroupResponse response;
        try {
            response = join.join();
        } catch (RuntimeException e) {
            coordinator.markUnknown();
            return false;
        }
        Errors error = Errors.forCode(response.errorCode());
        LOG.log(System.Logger.Level.DEBUG, () -> "JoinGroup of " + config.clientId + " in group " + config.groupId
                + ": " + error.name() + ", generation " + response.generationId() + ", leader " + response.leader()
                + ", members " + response.members().size());
        synchronized (this) {
            switch (error) {
                case NONE -> {
                    generation = response.generationId();
                    memberId = response.memberId();
                    protocolName = response.protocolName();
                    state = State.SYNCING;
                }
                case MEMBER_ID_REQUIRED -> {
                    memberId = response.memberId();
                    return false;
                }
                case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                    resetGeneration();
                    return false;
                }
                case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                    coordinator.markUnknown();
                    return false;
                }
                case COORDINATOR_LOAD_IN_PROGRESS, REBALANCE_IN_PROGRESS, REQUEST_TIMED_OUT -> {
                    return false;
                }
                default -> throw ClientException.of(error, "JoinGroup of group " + config.groupId + " failed: "
                        + error.name());
            }
        }
        Map<String, ByteBuffer> assignments = Map.of();
        if (response.leader().equals(response.memberId()) && !response.skipAssignment()) {
            assignments = rebalance.assign(response);
        }
        SyncGroupRequest request = new SyncGroupRequest().setGroupId(config.groupId)
                .setGenerationId(response.generationId()).setMemberId(response.memberId())
                .setGroupInstanceId(config.groupInstanceId);
        assignments.forEach((member, bytes) -> request.assignments().add(
                new SyncGroupRequest.SyncGroupRequestAssignment().setMemberId(member).setAssignment(bytes)));
        pendingSync = coordinator.send(request, SyncGroupResponse.class);
        return true;
    }

    private void handleSync(CompletableFuture<SyncGroupResponse> sync) {
        SyncGroupResponse response;
        try {
            response = sync.join();
        } catch (RuntimeException e) {
            coordinator.markUnknown();
            return;
        }
        Errors error = Errors.forCode(response.errorCode());
        LOG.log(System.Logger.Level.DEBUG, () -> "SyncGroup of " + config.clientId + " in group " + config.groupId
                + ": " + error.name());
        synchronized (this) {
            switch (error) {
                case NONE -> {
                    // Stable before the listener runs, so it can commit under the new generation.
                    state = State.STABLE;
                    rejoinNeeded = false;
                }
                case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                    resetGeneration();
                    return;
                }
                case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                    coordinator.markUnknown();
                    return;
                }
                case REBALANCE_IN_PROGRESS, COORDINATOR_LOAD_IN_PROGRESS, REQUEST_TIMED_OUT -> {
                    return;
                }
                default -> throw ClientException.of(error, "SyncGroup of group " + config.groupId + " failed: "
                        + error.name());
            }
        }
        Assignment assignment = response.assignment() == null || response.assignment().remaining() == 0
                ? new Assignment(List.of()) : ConsumerProtocol.decodeAssignment(response.assignment());
        onJoinComplete(assignment);
    }

    private void onJoinComplete(Assignment assignment) {
        String chosen;
        synchronized (this) {
            chosen = protocolName;
        }
        ConsumerRebalance.Applied applied = rebalance.applyAssignment(chosen, assignment, groupMetadata());
        LOG.log(System.Logger.Level.DEBUG, () -> "Consumer " + config.clientId + " of group " + config.groupId
                + " was assigned " + assignment.partitions());
        synchronized (this) {
            rejoinNeeded |= applied.rejoin();
            joinPrepared = false;
            long now = System.currentTimeMillis();
            lastHeartbeatOkMs = now;
            lastHeartbeatSendMs = now;
            notifyAll();
        }
        metrics.rebalanceDone();
        rebalance.announceAssigned(applied.toAnnounce());
    }

    /** The generation is over: the next join starts afresh and owned partitions count as lost. */
    private void resetGeneration() {
        generation = -1;
        memberId = "";
        state = State.UNJOINED;
        rejoinNeeded = true;
        generationLost = true;
    }

    // ---- heartbeats

    private void heartbeatLoop() {
        while (!closed) {
            synchronized (this) {
                long now = System.currentTimeMillis();
                long waitMs = 100;
                if (state == State.STABLE && coordinator.known() && generation >= 0) {
                    if (now - lastPollMs > config.maxPollIntervalMs) {
                        LOG.log(System.Logger.Level.WARNING, "Consumer " + config.clientId + " left group "
                                + config.groupId + ": no poll within max.poll.interval.ms (" + config.maxPollIntervalMs + " ms)");
                        leaveGroup("consumer poll timeout has expired");
                        continue;
                    }
                    if (now - lastHeartbeatOkMs > config.sessionTimeoutMs) {
                        coordinator.markUnknown();
                        lastHeartbeatOkMs = now;
                    } else if (!heartbeatInFlight && now - lastHeartbeatSendMs >= config.heartbeatIntervalMs) {
                        sendHeartbeat(now);
                    }
                    waitMs = Math.max(1, Math.min(waitMs, lastHeartbeatSendMs + config.heartbeatIntervalMs - now));
                } else if (state == State.STABLE && !coordinator.known()) {
                    coordinator.lookupIfNeeded();
                }
                try {
                    wait(waitMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void sendHeartbeat(long now) {
        heartbeatInFlight = true;
        lastHeartbeatSendMs = now;
        metrics.heartbeatSent();
        int sentGeneration = generation;
        HeartbeatRequest request = new HeartbeatRequest().setGroupId(config.groupId).setGenerationId(generation)
                .setMemberId(memberId).setGroupInstanceId(config.groupInstanceId);
        coordinator.send(request, HeartbeatResponse.class).whenComplete((response, error) -> {
            synchronized (this) {
                heartbeatInFlight = false;
                if (error != null) {
                    coordinator.markUnknown();
                } else if (sentGeneration == generation) {
                    handleHeartbeat(Errors.forCode(response.errorCode()));
                }
                notifyAll();
            }
            network.signal();
        });
    }

    private void handleHeartbeat(Errors error) {
        if (error != Errors.NONE) {
            LOG.log(System.Logger.Level.DEBUG, () -> "Heartbeat of " + config.clientId + " in group " + config.groupId
                    + ": " + error.name());
        }
        switch (error) {
            case NONE -> lastHeartbeatOkMs = System.currentTimeMillis();
            case REBALANCE_IN_PROGRESS -> {
                lastHeartbeatOkMs = System.currentTimeMillis();
                rejoinNeeded = true;
            }
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> resetGeneration();
            case FENCED_INSTANCE_ID -> {
                resetGeneration();
                fatal = ClientException.of(error, "Static member " + config.groupInstanceId
                        + " was fenced by another instance with the same group.instance.id");
            }
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> coordinator.markUnknown();
            default -> LOG.log(System.Logger.Level.DEBUG, "Heartbeat failed with " + error.name());
        }
    }

    // ---- leaving

    /** Sends LeaveGroup (dynamic members only) and ends the generation. Caller holds the monitor. */
    private CompletableFuture<LeaveGroupResponse> leaveGroup(String reason) {
        CompletableFuture<LeaveGroupResponse> sent = null;
        if (config.groupInstanceId == null && generation >= 0 && !memberId.isEmpty() && coordinator.known()) {
            LeaveGroupRequest request = new LeaveGroupRequest().setGroupId(config.groupId).setMemberId(memberId);
            request.members().add(new LeaveGroupRequest.MemberIdentity().setMemberId(memberId));
            sent = coordinator.send(request, LeaveGroupResponse.class);
        }
        resetGeneration();
        return sent;
    }

    /**
     * Gives up the assignment (listener first: revoked, or lost if the generation is over) and
     * leaves the group, waiting at most {@code timeoutMs} for the coordinator's answer.
     */
    public void close(long timeoutMs, boolean leave) {
        boolean lost;
        synchronized (this) {
            lost = generationLost || generation < 0;
        }
        try {
            rebalance.giveUpOnClose(lost);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "The rebalance listener failed on close", e);
        }
        CompletableFuture<LeaveGroupResponse> leaving = null;
        synchronized (this) {
            if (leave) {
                leaving = leaveGroup("the consumer is being closed");
            }
            closed = true;
            notifyAll();
        }
        if (leaving != null) {
            try {
                leaving.get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "LeaveGroup on close did not finish: " + e.getMessage());
            }
        }
        try {
            heartbeatThread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
