package io.fjord.coordinator;

/**
 * A group as ListGroups reports it.
 *
 * @param protocolType "" for a group that only holds offsets
 */
public record GroupOverview(String groupId, String protocolType, GroupState state) {
}
