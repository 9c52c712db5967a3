package io.fjord.coordinator;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One member of a classic group: what it joined with, its assignment, and the join or sync
 * answer it is waiting for. Guarded by its group's monitor.
 *
 * <p>Ownership: protocol metadata and the assignment are the coordinator's own byte arrays,
 * never views of request buffers.
 */
final class GroupMember {

    private static final byte[] EMPTY = new byte[0];

    final String memberId;
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    List<JoinProtocol> protocols;
    byte[] assignment = EMPTY;
    /** The parked JoinGroup answer, or null. */
    Consumer<JoinGroupResult> awaitingJoin;
    /** The parked SyncGroup answer, or null. */
    Consumer<SyncGroupResult> awaitingSync;
    /** The session deadline, moved by every heartbeat, join and sync. */
    Deadline heartbeat;

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

    void assignment(byte[] bytes) {
        this.assignment = bytes == null ? EMPTY : bytes;
    }
}
