package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerGroupMetadata;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.consumer.PartitionAssignor.Assignment;
import io.fjord.api.consumer.PartitionAssignor.RebalanceProtocol;
import io.fjord.api.consumer.PartitionAssignor.Subscription;
import io.fjord.assignors.protocol.ConsumerProtocol;
import io.fjord.client.consumer.ConsumerConfig;
import io.fjord.client.consumer.ConsumerRebalanceListener;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.JoinGroupRequest.JoinGroupRequestProtocol;
import io.fjord.protocol.message.JoinGroupResponse;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The consumer's side of a rebalance, which the group protocol of {@link GroupMembership} calls
 * out to: the subscription each assignor sends with JoinGroup, the leader's assignment, and the
 * changes to the assigned partitions with the listener's revoked, assigned and lost calls. Eager
 * rebalances give everything up before joining; cooperative ones give up only what moved, after
 * SyncGroup, and then ask to join again.
 *
 * <p>Runs only on the application's thread, outside the membership's monitor, so the listener and
 * the assignor may call back into the consumer.
 */
final class ConsumerRebalance {

    private final ConsumerConfig config;
    private final ConsumerMetadata metadata;
    private final SubscriptionState subscriptions;
    private final ConsumerNetwork network;
    private final List<PartitionAssignor> assignors;
    private final RebalanceProtocol protocol;
    private final Runnable beforeRebalance;

    ConsumerRebalance(ConsumerConfig config, ConsumerMetadata metadata, SubscriptionState subscriptions,
                      ConsumerNetwork network, List<PartitionAssignor> assignors, Runnable beforeRebalance) {
        this.config = config;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.network = network;
        this.assignors = List.copyOf(assignors);
        this.beforeRebalance = beforeRebalance;
        boolean cooperative = !assignors.isEmpty();
        for (PartitionAssignor a : assignors) {
            cooperative &= a.supportedProtocols().contains(RebalanceProtocol.COOPERATIVE);
        }
        this.protocol = cooperative ? RebalanceProtocol.COOPERATIVE : RebalanceProtocol.EAGER;
    }

    RebalanceProtocol protocol() {
        return protocol;
    }

    /** Before joining, first: commits what was consumed, under auto-commit (it may find the generation over). */
    void commitBeforeJoin() {
        beforeRebalance.run();
    }

    /** Before joining, then: gives up what this kind of rebalance requires, or everything as lost. */
    void onJoinPrepare(boolean generationLost) {
        Set<TopicPartition> owned = subscriptions.assignedPartitions();
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (generationLost && !owned.isEmpty()) {
            subscriptions.assignFromGroup(List.of());
            listener.onPartitionsLost(owned);
        } else if (protocol == RebalanceProtocol.EAGER) {
            subscriptions.assignFromGroup(List.of());
            listener.onPartitionsRevoked(owned);
        } else {
            Set<TopicPartition> unsubscribed = new HashSet<>();
            for (TopicPartition tp : owned) {
                if (!subscriptions.topics().contains(tp.topic())) {
                    unsubscribed.add(tp);
                }
            }
            if (!unsubscribed.isEmpty()) {
                Set<TopicPartition> kept = new LinkedHashSet<>(owned);
                kept.removeAll(unsubscribed);
                subscriptions.assignFromGroup(kept);
                listener.onPartitionsRevoked(unsubscribed);
            }
        }
    }

    /** One JoinGroup protocol per assignor, each carrying the subscription and what this member owns. */
    List<JoinGroupRequestProtocol> joinProtocols(int generation) {
        List<String> topics = new ArrayList<>(new TreeSet<>(subscriptions.topics()));
        List<TopicPartition> owned = new ArrayList<>(subscriptions.assignedPartitions());
        Optional<Integer> gen = generation >= 0 ? Optional.of(generation) : Optional.empty();
        Optional<String> rack = config.clientRack.isEmpty() ? Optional.empty() : Optional.of(config.clientRack);
        List<JoinGroupRequestProtocol> protocols = new ArrayList<>();
        for (PartitionAssignor assignor : assignors) {
            Subscription subscription = new Subscription(topics, assignor.subscriptionUserData(Set.copyOf(topics)),
                    owned, gen, rack);
            protocols.add(new JoinGroupRequestProtocol().setName(assignor.name())
                    .setMetadata(ConsumerProtocol.encodeSubscription(subscription)));
        }
        return protocols;
    }

    /** As the group's leader: every member's assignment, with metadata fresh for all their topics. */
    Map<String, ByteBuffer> assign(JoinGroupResponse response) {
        PartitionAssignor assignor = assignorNamed(response.protocolName());
        Map<String, Subscription> subscriptionsByMember = new HashMap<>();
        Set<String> allTopics = new TreeSet<>(subscriptions.topics());
        for (JoinGroupResponse.JoinGroupResponseMember member : response.members()) {
            Subscription s = ConsumerProtocol.decodeSubscription(member.metadata())
                    .withGroupInstanceId(Optional.ofNullable(member.groupInstanceId()));
            subscriptionsByMember.put(member.memberId(), s);
            allTopics.addAll(s.topics());
        }
        // The leader needs every member's topics, not only its own.
        Set<String> wanted = new HashSet<>(metadata.wantedTopics());
        wanted.addAll(allTopics);
        metadata.setTopics(wanted, subscriptions.pattern() != null);
        metadata.requestUpdate();
        int version = metadata.version();
        metadata.maybeUpdate(network, System.currentTimeMillis());
        network.await(config.requestTimeoutMs, () -> metadata.version() != version && !metadata.updateRequested()
                || metadata.version() - version > 3);
        PartitionAssignor.GroupAssignment result = assignor.assign(metadata.cluster(),
                new PartitionAssignor.GroupSubscription(subscriptionsByMember));
        Map<String, ByteBuffer> out = new HashMap<>();
        for (String member : subscriptionsByMember.keySet()) {
            Assignment a = result.groupAssignment().getOrDefault(member, new Assignment(List.of()));
            out.put(member, ConsumerProtocol.encodeAssignment(a));
        }
        return out;
    }

    private PartitionAssignor assignorNamed(String name) {
        for (PartitionAssignor a : assignors) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new ClientException(Errors.INCONSISTENT_GROUP_PROTOCOL, "The group chose assignor " + name
                + ", which this consumer does not have");
    }

    /**
     * What an assignment changed: the partitions the listener is to hear of as assigned, and
     * whether this member must join again (a cooperative rebalance revoked something).
     */
    record Applied(Set<TopicPartition> toAnnounce, boolean rejoin) { }

    /**
     * Takes the assignment SyncGroup brought: the assignor hears of it, cooperative rebalances
     * revoke what moved away. The listener's assigned call comes later, from {@link
     * #announceAssigned}, once the membership has recorded the new generation.
     */
    Applied applyAssignment(String protocolName, Assignment assignment, ConsumerGroupMetadata group) {
        Set<TopicPartition> assigned = new LinkedHashSet<>(assignment.partitions());
        Set<TopicPartition> owned = subscriptions.assignedPartitions();
        assignorNamed(protocolName).onAssignment(assignment, group);
        Set<TopicPartition> added = new LinkedHashSet<>(assigned);
        added.removeAll(owned);
        boolean rejoin = false;
        if (protocol == RebalanceProtocol.COOPERATIVE) {
            Set<TopicPartition> revoked = new LinkedHashSet<>(owned);
            revoked.removeAll(assigned);
            if (!revoked.isEmpty()) {
                Set<TopicPartition> kept = new LinkedHashSet<>(owned);
                kept.removeAll(revoked);
                subscriptions.assignFromGroup(kept);
                subscriptions.listener().onPartitionsRevoked(revoked);
                rejoin = true;
            }
        }
        subscriptions.assignFromGroup(assigned);
        return new Applied(protocol == RebalanceProtocol.EAGER ? assigned : added, rejoin);
    }

    void announceAssigned(Set<TopicPartition> partitions) {
        subscriptions.listener().onPartitionsAssigned(partitions);
    }

    /** On close: the listener hears that the partitions are revoked, or lost if the generation is over. */
    void giveUpOnClose(boolean lost) {
        Set<TopicPartition> owned = subscriptions.assignedPartitions();
        if (owned.isEmpty() || !subscriptions.hasAutoAssignment()) {
            return;
        }
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (lost) {
            listener.onPartitionsLost(owned);
        } else {
            listener.onPartitionsRevoked(owned);
        }
    }
}
