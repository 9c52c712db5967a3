package io.fjord.client.admin;

/** A group as ListGroups reports it; state and type are empty where the broker's version lacks them. */
public record GroupListing(String groupId, String protocolType, String state, String type) {
}
