package io.fjord.coordinator;

import io.fjord.common.errors.Errors;

/**
 * The answer to a SyncGroup request: the member's assignment (empty on error), as the leader sent it.
 *
 * <p>Ownership: {@code assignment} is the coordinator's array; the caller only reads it.
 */
public record SyncGroupResult(Errors error, byte[] assignment) {

    private static final byte[] EMPTY = new byte[0];

    static SyncGroupResult error(Errors error) {
        return new SyncGroupResult(error, EMPTY);
    }
}
