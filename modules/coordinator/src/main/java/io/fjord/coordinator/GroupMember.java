package io.fjord.coordinator;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One member of a classic group: what it joined with, its assignment, its session deadline, and
 * the join or sync answer it is waiting for. Guarded by its group's monitor.
 *
 * <p>Invariant: a parked answer is given at most once ({@link #answerJoin} and {@link #answerSync}
 * drop it before calling it), so a member that is fenced, removed or unloaded while it waits is
 * answered exactly once.
 *
 * <p>Ownership: protocol metadata and the assignment are the coordinator's own byte arrays,
 * never views of request buffers.
 */
final class GroupMember {

    private static final byte[] EMPTY = new byte[0];

    private final String memberId;
    private final String groupInstanceId;
    private String clientId;
    private String clientHost;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private List<JoinProtocol> protocols;
    private byte[] assignment = EMPTY;
    private Consumer<JoinGroupResult> awaitingJoin;
    private Consumer<SyncGroupResult> awaitingSync;
    /** The session deadline, moved by every heartbeat, join and sync. */
    private Deadline heartbeat;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
            int sessionTimeoutMs, List<JoinProtocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    /** A member as a JoinGroup request describes it, under {@code memberId}. */
    static GroupMember joining(String memberId, JoinGroupRequest req) {
        return new GroupMember(memberId, req.groupInstanceId(), req.clientId(), req.clientHost(),
                rebalanceTimeout(req), req.sessionTimeoutMs(), req.protocols());
    }

    private static int rebalanceTimeout(JoinGroupRequest req) {
        // JoinGroup v0 has no rebalance timeout: the session timeout stands in for it, as in Kafka.
        return req.rebalanceTimeoutMs() < 0 ? req.sessionTimeoutMs() : req.rebalanceTimeoutMs();
    }

    /** Takes what a repeated JoinGroup of this member says: protocols, timeouts, client. */
    void update(JoinGroupRequest req) {
        protocols = List.copyOf(req.protocols());
        rebalanceTimeoutMs = rebalanceTimeout(req);
        sessionTimeoutMs = req.sessionTimeoutMs();
        clientId = req.clientId();
        clientHost = req.clientHost();
    }

    String memberId() {
        return memberId;
    }

    /** The static member's instance id, or null for a dynamic member. */
    String groupInstanceId() {
        return groupInstanceId;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    /** In the member's order of preference. */
    List<JoinProtocol> protocols() {
        return protocols;
    }

    /** This member's metadata for {@code protocol}, or an empty array if it does not support it. */
    byte[] metadata(String protocol) {
        for (JoinProtocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return EMPTY;
    }

    boolean supports(String protocol) {
        for (JoinProtocol p : protocols) {
            if (p.name().equals(protocol)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code other} names the same protocols, in the same order, with the same metadata. */
    boolean sameProtocols(List<JoinProtocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            JoinProtocol a = protocols.get(i);
            JoinProtocol b = other.get(i);
            if (!a.name().equals(b.name()) || !Arrays.equals(a.metadata(), b.metadata())) {
                return false;
            }
        }
        return true;
    }

    byte[] assignment() {
        return assignment;
    }

    void assignment(byte[] bytes) {
        this.assignment = bytes == null ? EMPTY : bytes;
    }

    /** Parks a JoinGroup answer; the caller has answered any parked one before. */
    void parkJoin(Consumer<JoinGroupResult> callback) {
        awaitingJoin = callback;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    /** Gives the parked JoinGroup answer, if any. */
    void answerJoin(JoinGroupResult result) {
        Consumer<JoinGroupResult> callback = awaitingJoin;
        if (callback != null) {
            awaitingJoin = null;
            callback.accept(result);
        }
    }

    /** Parks a SyncGroup answer; the caller has answered any parked one before. */
    void parkSync(Consumer<SyncGroupResult> callback) {
        awaitingSync = callback;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** Gives the parked SyncGroup answer, if any. */
    void answerSync(SyncGroupResult result) {
        Consumer<SyncGroupResult> callback = awaitingSync;
        if (callback != null) {
            awaitingSync = null;
            callback.accept(result);
        }
    }

    /** The session deadline, or null before the first is scheduled. */
    Deadline heartbeat() {
        return heartbeat;
    }

    void heartbeat(Deadline deadline) {
        this.heartbeat = deadline;
    }
}
