package io.fjord.coordinator;

import io.fjord.common.errors.Errors;

import java.util.List;

/**
 * The answer to a JoinGroup request. Only the leader's answer lists the members.
 *
 * @param protocolName the chosen protocol, or null when the join failed
 */
public record JoinGroupResult(Errors error, int generationId, String protocolName, String leaderId,
        String memberId, List<Member> members) {

    /** One member as the leader sees it: its id, static id and metadata for the chosen protocol. */
    public record Member(String memberId, String groupInstanceId, byte[] metadata) {
    }

    static JoinGroupResult error(Errors error, String memberId) {
        return new JoinGroupResult(error, -1, null, "", memberId, List.of());
    }
}
