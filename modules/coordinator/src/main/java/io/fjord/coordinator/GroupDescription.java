package io.fjord.coordinator;

import io.fjord.common.errors.Errors;

import java.util.List;

/**
 * A group as DescribeGroups reports it. An unknown group is described as Dead with no members,
 * as Kafka does for the versions without GROUP_ID_NOT_FOUND.
 *
 * @param protocolData the chosen protocol while the group is Stable, else ""
 * @param members metadata and assignment are filled in only while the group is Stable
 */
public record GroupDescription(Errors error, String groupId, GroupState state, String protocolType,
        String protocolData, List<Member> members) {

    /** One member of a described group. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
            byte[] metadata, byte[] assignment) {
    }
}
