package io.fjord.coordinator;

import java.util.List;

/**
 * The fields of a JoinGroup request the coordinator needs.
 *
 * @param memberId "" on a member's first join
 * @param groupInstanceId the static member's id, or null for a dynamic member
 * @param requireKnownMemberId true from JoinGroup v4 on: a dynamic member's first join is answered
 *     with MEMBER_ID_REQUIRED and a new member id
 * @param rebalanceTimeoutMs -1 in v0, where the session timeout stands in for it
 * @param protocols in the member's order of preference; metadata copied out of the request
 * @param supportsSkippingAssignment true from JoinGroup v9 on: a returning static leader can be told
 *     to skip the assignment rather than be answered as a follower
 */
public record JoinGroupRequest(String groupId, String memberId, String groupInstanceId, String clientId,
        String clientHost, int rebalanceTimeoutMs, int sessionTimeoutMs, String protocolType,
        List<JoinProtocol> protocols, boolean requireKnownMemberId, boolean supportsSkippingAssignment) {

    /** A request of a version before 9. */
    public JoinGroupRequest(String groupId, String memberId, String groupInstanceId, String clientId, String clientHost,
            int rebalanceTimeoutMs, int sessionTimeoutMs, String protocolType, List<JoinProtocol> protocols,
            boolean requireKnownMemberId) {
        this(groupId, memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs,
                protocolType, protocols, requireKnownMemberId, false);
    }
}
