package io.fjord.coordinator;

/**
 * An offset a client commits for one partition; the coordinator adds the commit time.
 *
 * @param leaderEpoch -1 when the client did not send one
 * @param metadata null is stored as ""
 */
public record PartitionOffset(long offset, int leaderEpoch, String metadata) {
}
