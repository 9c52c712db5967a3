package io.fjord.api.consumer;

import java.util.Objects;
import java.util.Optional;

/**
 * A consumer's place in its group after a rebalance.
 *
 * @param groupId the group
 * @param generationId the generation the assignment belongs to
 * @param memberId this member's id
 * @param groupInstanceId the static member id ({@code group.instance.id}), if set
 */
public record ConsumerGroupMetadata(String groupId, int generationId, String memberId,
                                    Optional<String> groupInstanceId) {

    public ConsumerGroupMetadata {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
    }
}
