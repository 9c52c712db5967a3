package io.fjord.coordinator;

/**
 * A committed offset of one group for one partition: the next offset the group will read.
 *
 * @param offset the committed offset
 * @param leaderEpoch the leader epoch of the last consumed record, or -1
 * @param metadata the client's metadata string, never null ("" when the client sent null)
 * @param commitTimestamp the coordinator's wall-clock time of the commit, in milliseconds
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {

    public CommittedOffset {
        metadata = metadata == null ? "" : metadata;
    }
}
