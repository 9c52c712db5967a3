package io.fjord.coordinator;

import io.fjord.common.errors.Errors;

import java.util.List;

/**
 * The answer to a JoinGroup request. Only the leader's answer lists the members.
 *
 * @param protocolName the chosen protocol, or null when the join failed
 * @param skipAssignment JoinGroup v9's answer to a returning static leader of a Stable group: it is
 *     the leader and gets the members, but must not compute a new assignment (KIP-814)
 */
public record JoinGroupResult(Errors error, int generationId, String protocolName, String leaderId,
        String memberId, List<Member> members, boolean skipAssignment) {

    /** A result that does not skip the assignment. */
    public JoinGroupResult(Errors error, int generationId, String protocolName, String leaderId, String memberId,
            List<Member> members) {
        this(error, generationId, protocolName, leaderId, memberId, members, false);
    }

    /** One member as the leader sees it: its id, static id and metadata for the chosen protocol. */
    public record Member(String memberId, String groupInstanceId, byte[] metadata) {
    }

    static JoinGroupResult error(Errors error, String memberId) {
        return new JoinGroupResult(error, -1, null, "", memberId, List.of());
    }
}
