package io.fjord.replication;

/**
 * What the leader knows of one follower from its fetches (Kafka's {@code Replica}): its log end
 * offset (the offset it fetches from) and when it was last caught up. A follower is caught up at a
 * fetch when it asks for the leader's log end offset, or for at least the leader's log end offset
 * at its previous fetch (then it was caught up as of that previous fetch), so a follower that keeps
 * up with a busy leader is never seen as lagging.
 *
 * <p>Thread safety: updated by the handler threads serving this follower's fetches, one at a time
 * per follower in practice; the fields are volatile so the ISR-expiration task reads them without a
 * lock, and the update is synchronized so two overlapping fetches cannot interleave.
 */
public final class FollowerState {

    private final int replicaId;
    private volatile long logEndOffset = -1L;
    private volatile long brokerEpoch = -1L;
    private volatile long lastCaughtUpTimeMs;
    private long lastFetchLeaderLogEndOffset = -1L;
    private long lastFetchTimeMs;

    FollowerState(int replicaId, long lastCaughtUpTimeMs) {
        this.replicaId = replicaId;
        this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
    }

    public int replicaId() {
        return replicaId;
    }

    /** The follower's log end offset as of its last fetch, or -1 before its first. */
    public long logEndOffset() {
        return logEndOffset;
    }

    public long brokerEpoch() {
        return brokerEpoch;
    }

    public long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }

    synchronized void update(long fetchOffset, long fetchBrokerEpoch, long leaderEndOffset, long nowMs) {
        if (fetchOffset >= leaderEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
        } else if (fetchOffset >= lastFetchLeaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        brokerEpoch = fetchBrokerEpoch;
        lastFetchLeaderLogEndOffset = leaderEndOffset;
        lastFetchTimeMs = nowMs;
    }

    boolean caughtUpWithin(long nowMs, long lagTimeMaxMs) {
        return logEndOffset >= 0 && nowMs - lastCaughtUpTimeMs <= lagTimeMaxMs;
    }

    @Override
    public String toString() {
        return "Follower(" + replicaId + ", leo " + logEndOffset + ", caught up at " + lastCaughtUpTimeMs + ")";
    }
}
