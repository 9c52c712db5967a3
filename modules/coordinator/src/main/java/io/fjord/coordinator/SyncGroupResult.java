package io.fjord.coordinator;

import io.fjord.protocol.errors.Errors;

/**
 * The answer to a SyncGroup request: the member's assignment (empty on error), as the leader sent it.
 *
 * @param protocolType the group's protocol type, or null when not known
 * @param protocolName the group's chosen protocol, or null when not known
 */
public record SyncGroupResult(Errors error, String protocolType, String protocolName, byte[] assignment) {

    private static final byte[] EMPTY = new byte[0];

    static SyncGroupResult error(Errors error) {
        return new SyncGroupResult(error, null, null, EMPTY);
    }
}
