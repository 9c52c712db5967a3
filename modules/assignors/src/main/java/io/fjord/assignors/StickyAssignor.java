package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerGroupMetadata;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.assignors.protocol.ConsumerProtocolException;
import io.fjord.assignors.protocol.StickyAssignorUserData;
import io.fjord.assignors.protocol.StickyAssignorUserData.MemberData;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kafka's {@code sticky} assignor, for the eager protocol: a balanced assignment that moves as
 * few partitions as balance allows (see {@link StickyAssignment}). Eager members give up every
 * partition before they rejoin, so each member remembers its last assignment and generation and
 * sends them as user data in Kafka's layout ({@link StickyAssignorUserData}); the leader reads
 * Fjord's and Kafka's members alike. User data that cannot be read counts as no history, as in
 * Kafka.
 *
 * <p>One instance serves one consumer; {@link #onAssignment} and {@link #subscriptionUserData}
 * may run on different threads.
 */
public final class StickyAssignor implements PartitionAssignor {

    public static final String NAME = "sticky";

    private volatile MemberData lastAssignment;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        MemberData last = lastAssignment;
        return last == null ? null : StickyAssignorUserData.encode(last);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        lastAssignment = new MemberData(assignment.partitions(), Optional.of(metadata.generationId()));
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions) {
        GroupInput input = new GroupInput(metadata, subscriptions);
        Map<String, MemberData> history = new HashMap<>();
        input.subscriptions.forEach((member, s) -> history.put(member, memberData(s.userData())));
        Map<String, List<TopicPartition>> assignment = StickyAssignment.assign(input, history, false);
        return GroupInput.toGroupAssignment(assignment);
    }

    /** A member's history from its user data; unreadable data is no history, generation -1. */
    static MemberData memberData(ByteBuffer userData) {
        if (userData == null || !userData.hasRemaining()) {
            return new MemberData(List.of(), Optional.empty());
        }
        try {
            return StickyAssignorUserData.decode(userData);
        } catch (ConsumerProtocolException e) {
            return new MemberData(List.of(), Optional.of(-1));
        }
    }
}
