package io.fjord.api.consumer;

import java.util.Objects;
import java.util.Optional;

/**
 * A committed position: the offset of the next record to read, the leader epoch of the last
 * record read (if known) and free-form metadata.
 */
public record OffsetAndMetadata(long offset, Optional<Integer> leaderEpoch, String metadata) {

    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        Objects.requireNonNull(leaderEpoch, "leaderEpoch");
        metadata = metadata == null ? "" : metadata;
    }

    public OffsetAndMetadata(long offset) {
        this(offset, Optional.empty(), "");
    }
}
