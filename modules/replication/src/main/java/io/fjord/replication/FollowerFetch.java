package io.fjord.replication;

/**
 * One partition of a follower's fetch, as the leader reads it.
 *
 * @param replicaId the fetching follower's broker id
 * @param brokerEpoch the follower's broker epoch (Fetch v15's ReplicaState), or -1
 * @param currentLeaderEpoch the leader epoch the follower believes current, or -1
 * @param fetchOffset the follower's log end offset
 * @param lastFetchedEpoch the epoch of the follower's last batch, or -1 (Fetch v12)
 * @param maxBytes the partition's byte limit
 * @param minOneBatch whether to return one whole batch even beyond {@code maxBytes}
 */
public record FollowerFetch(int replicaId, long brokerEpoch, int currentLeaderEpoch, long fetchOffset,
                            int lastFetchedEpoch, int maxBytes, boolean minOneBatch) {
}
