package io.fjord.replication;

/**
 * The request-level limits of a fetch, and who sends it.
 *
 * @param maxWaitMs how long to wait for {@code minBytes} ({@code fetch.max.wait.ms})
 * @param minBytes the bytes to wait for ({@code fetch.min.bytes})
 * @param maxBytes the response's size limit over all partitions ({@code fetch.max.bytes}); the
 *     first non-empty partition may exceed it by one batch
 * @param replicaId the fetching follower's broker id, or -1 for a consumer
 * @param replicaEpoch the follower's broker epoch, or -1
 */
public record FetchParams(long maxWaitMs, int minBytes, int maxBytes, int replicaId, long replicaEpoch) {

    /** A consumer's fetch. */
    public FetchParams(long maxWaitMs, int minBytes, int maxBytes) {
        this(maxWaitMs, minBytes, maxBytes, -1, -1L);
    }

    /** Whether a follower broker sends it: it reads up to the log end and moves the follower's state. */
    public boolean isFromFollower() {
        return replicaId >= 0;
    }
}
