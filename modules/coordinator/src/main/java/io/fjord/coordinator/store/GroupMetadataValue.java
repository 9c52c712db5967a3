package io.fjord.coordinator.store;

import java.util.List;

/**
 * A group's metadata as one {@code GroupMetadataValue} record holds it: the generation and, for
 * each member, its subscription for the chosen protocol and its assignment.
 *
 * @param protocol the chosen protocol, null when the group is empty
 * @param leader the leader's member id, null when the group is empty
 * @param currentStateTimestamp when the group entered its current state (ms), or -1
 */
public record GroupMetadataValue(String protocolType, int generation, String protocol, String leader,
        long currentStateTimestamp, List<MemberMetadata> members) {

    /** One member; byte arrays are owned by the value. */
    public record MemberMetadata(String memberId, String groupInstanceId, String clientId, String clientHost,
            int rebalanceTimeout, int sessionTimeout, byte[] subscription, byte[] assignment) {
    }
}
