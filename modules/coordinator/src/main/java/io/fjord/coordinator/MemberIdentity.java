package io.fjord.coordinator;

/** A member named in a LeaveGroup request: its member id ("" for none) and static id (or null). */
public record MemberIdentity(String memberId, String groupInstanceId) {
}
