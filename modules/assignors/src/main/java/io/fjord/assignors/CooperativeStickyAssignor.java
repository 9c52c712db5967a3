package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerGroupMetadata;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.assignors.protocol.ConsumerProtocolException;
import io.fjord.assignors.protocol.CooperativeStickyAssignorUserData;
import io.fjord.assignors.protocol.StickyAssignorUserData.MemberData;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kafka's {@code cooperative-sticky} assignor: the sticky assignment of {@link StickyAssignment},
 * made safe for the cooperative protocol. Members keep their partitions while they rejoin and
 * report them as owned partitions (with their generation, from subscription version 2, or in the
 * user data for older peers). A partition that the new assignment gives to one member while
 * another still reports owning it is left out of this round: its owner revokes it on seeing its
 * own assignment, and the rebalance that follows hands it to the new owner. No partition is ever
 * owned by two members at once.
 *
 * <p>Supports {@code COOPERATIVE} first and {@code EAGER}, as Kafka's does, so a group can be
 * upgraded from an eager assignor with rolling restarts.
 */
public final class CooperativeStickyAssignor implements PartitionAssignor {

    public static final String NAME = "cooperative-sticky";

    private volatile int generation = -1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER);
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return CooperativeStickyAssignorUserData.encode(generation);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        generation = metadata.generationId();
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions) {
        GroupInput input = new GroupInput(metadata, subscriptions);
        Map<String, MemberData> history = new HashMap<>();
        input.subscriptions.forEach((member, s) -> history.put(member, memberData(s)));
        Map<String, List<TopicPartition>> assignment = StickyAssignment.assign(input, history, true);
        return GroupInput.toGroupAssignment(assignment);
    }

    static MemberData memberData(Subscription s) {
        if (s.generationId().isPresent()) {
            return new MemberData(s.ownedPartitions(), s.generationId());
        }
        if (s.userData() == null) {
            return new MemberData(s.ownedPartitions(), Optional.empty());
        }
        int encoded;
        try {
            encoded = CooperativeStickyAssignorUserData.decode(s.userData());
        } catch (ConsumerProtocolException e) {
            encoded = -1;
        }
        return new MemberData(s.ownedPartitions(), Optional.of(encoded));
    }
}
