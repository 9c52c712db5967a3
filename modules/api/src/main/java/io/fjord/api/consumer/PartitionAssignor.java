package io.fjord.api.consumer;

import io.fjord.api.Cluster;
import io.fjord.api.Plugin;
import io.fjord.api.TopicPartition;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Assigns partitions to the members of a consumer group, run by the group leader on the client
 * side, as Kafka's {@code ConsumerPartitionAssignor}. Selected by
 * {@code partition.assignment.strategy}; its {@link #name()} is the protocol name the group
 * votes on, so a Fjord assignor and a Kafka one with the same name must assign alike.
 *
 * <p>Each member sends a {@link Subscription} (topics, optional user data, the partitions it
 * owns now); the leader's assignor maps every member id to an {@link Assignment}. With the
 * {@link RebalanceProtocol#COOPERATIVE} protocol a partition may only move after its previous
 * owner released it, so an assignor that declares it must not hand a partition to a new owner
 * in the same rebalance in which it takes it from the old one.
 */
public interface PartitionAssignor extends Plugin {

    /** The user data this member sends in its subscription, or null for none. */
    default ByteBuffer subscriptionUserData(Set<String> topics) {
        return null;
    }

    /**
     * Computes the assignment of every member. Called on the leader only.
     *
     * @param metadata partitions of the subscribed topics
     * @param subscriptions every member's subscription, by member id
     * @return an assignment for every member id in {@code subscriptions}
     */
    GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions);

    /** Called on every member with its own assignment once the rebalance completes. */
    default void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
    }

    /** The protocols this assignor supports, preferred first. */
    default List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.EAGER);
    }

    /** The version of this assignor's user data format. */
    default short version() {
        return 0;
    }

    /** How partitions change hands in a rebalance. */
    enum RebalanceProtocol {
        /** Every member gives up all partitions before the new assignment. */
        EAGER,
        /** Members keep the partitions that stay theirs; moved ones are released first. */
        COOPERATIVE
    }

    /**
     * One member's subscription.
     *
     * @param topics the subscribed topics
     * @param userData the assignor's user data, or null
     * @param ownedPartitions the partitions the member owns now
     * @param generationId the generation of {@code ownedPartitions}, if known
     * @param rackId the member's rack ({@code client.rack}), if set
     * @param groupInstanceId the member's static id ({@code group.instance.id}), if set. It is not
     *        part of the subscription's bytes: the coordinator learns it from JoinGroup, and Kafka's
     *        range and round-robin assignors order static members by it, so their assignment
     *        survives restarts that change member ids
     */
    record Subscription(List<String> topics, ByteBuffer userData, List<TopicPartition> ownedPartitions,
                        Optional<Integer> generationId, Optional<String> rackId,
                        Optional<String> groupInstanceId) {

        public Subscription {
            topics = List.copyOf(topics);
            ownedPartitions = List.copyOf(ownedPartitions);
            Objects.requireNonNull(generationId, "generationId");
            Objects.requireNonNull(rackId, "rackId");
            Objects.requireNonNull(groupInstanceId, "groupInstanceId");
        }

        /** A subscription of a dynamic member (no {@code group.instance.id}). */
        public Subscription(List<String> topics, ByteBuffer userData, List<TopicPartition> ownedPartitions,
                            Optional<Integer> generationId, Optional<String> rackId) {
            this(topics, userData, ownedPartitions, generationId, rackId, Optional.empty());
        }

        public Subscription(List<String> topics) {
            this(topics, null, List.of(), Optional.empty(), Optional.empty());
        }

        /** This subscription of the member with the given static id. */
        public Subscription withGroupInstanceId(Optional<String> groupInstanceId) {
            return new Subscription(topics, userData, ownedPartitions, generationId, rackId, groupInstanceId);
        }
    }

    /**
     * One member's assignment.
     *
     * @param partitions the partitions given to the member
     * @param userData the assignor's user data, or null
     */
    record Assignment(List<TopicPartition> partitions, ByteBuffer userData) {

        public Assignment {
            partitions = List.copyOf(partitions);
        }

        public Assignment(List<TopicPartition> partitions) {
            this(partitions, null);
        }
    }

    /** Every member's subscription, by member id. */
    record GroupSubscription(Map<String, Subscription> groupSubscription) {

        public GroupSubscription {
            groupSubscription = Map.copyOf(groupSubscription);
        }
    }

    /** Every member's assignment, by member id. */
    record GroupAssignment(Map<String, Assignment> groupAssignment) {

        public GroupAssignment {
            groupAssignment = Map.copyOf(groupAssignment);
        }
    }
}
