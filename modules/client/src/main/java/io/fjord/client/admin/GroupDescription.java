package io.fjord.client.admin;

import java.util.List;

/** A classic group as DescribeGroups reports it. */
public record GroupDescription(String groupId, String state, String protocolType, String protocol,
                               List<Member> members) {

    /** A member, with its raw protocol metadata and assignment bytes. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         byte[] metadata, byte[] assignment) {
    }
}
