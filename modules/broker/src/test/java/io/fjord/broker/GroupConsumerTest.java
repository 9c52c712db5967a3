package io.fjord.broker;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static io.fjord.broker.GroupSupport.SETTLE_TIMEOUT_MS;
import static io.fjord.broker.GroupSupport.assignments;
import static io.fjord.broker.GroupSupport.committed;
import static io.fjord.broker.GroupSupport.endOffsets;
import static io.fjord.broker.GroupSupport.splits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's Java consumer in classic-protocol groups against the coordinator: members split a topic
 * disjointly and completely, read every record once, commit in each of the client's ways, hand
 * partitions over when a member leaves or dies, and a new member resumes from the committed
 * offsets.
 */
class GroupConsumerTest extends GroupBrokerTest {

    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 6;

    @Override
    void createTopics() throws Exception {
        GroupSupport.createTopic(admin, TOPIC, PARTITIONS);
    }

    private PolledConsumer member(String group, String clientId, Map<String, Object> overrides) {
        PolledConsumer member = GroupSupport.member(fixture.bootstrap(), group, clientId, TOPIC, overrides);
        members.add(member);
        return member;
    }

    /** Values received by {@code from}, in order. */
    private static List<String> values(List<PolledConsumer> from) {
        List<String> values = new ArrayList<>();
        from.forEach(m -> m.received().forEach(r -> values.add(r.value())));
        return values;
    }

    private static void awaitSplit(List<PolledConsumer> group, Set<TopicPartition> all, int perMember)
            throws InterruptedException {
        waitUntil(() -> "a split of " + perMember + " partitions each: " + assignments(group), SETTLE_TIMEOUT_MS,
                () -> splits(group, all, perMember));
    }

    private static void awaitReceived(List<PolledConsumer> group, int count) throws InterruptedException {
        waitUntil(() -> count + " records received, got " + values(group).size() + "; " + assignments(group),
                SETTLE_TIMEOUT_MS, () -> values(group).size() >= count);
    }

    /** Every record a member received came from a partition it owns now. */
    private static void assertReadFromOwnPartitions(List<PolledConsumer> group) {
        for (PolledConsumer member : group) {
            for (PolledConsumer.Received r : member.received()) {
                assertTrue(member.assignment().contains(r.partition()),
                        member.name + " read " + r + " outside its assignment " + member.assignment());
            }
        }
    }

    @Test
    void threeMembersSplitSixPartitionsAndHandThemOverOnLeaveAndOnSilence() throws Exception {
        String group = "three";
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        PolledConsumer a = member(group, "a", Map.of());
        PolledConsumer b = member(group, "b", Map.of());
        PolledConsumer c = member(group, "c", Map.of());
        List<PolledConsumer> three = List.of(a, b, c);
        awaitSplit(three, all, 2);

        List<String> first = GroupSupport.produce(producer, TOPIC, PARTITIONS, "first", 300);
        awaitReceived(three, first.size());
        assertEquals(new HashSet<>(first), new HashSet<>(values(three)), "every record was read");
        assertEquals(first.size(), values(three).size(), "and read once");
        assertReadFromOwnPartitions(three);

        // The coordinator describes what the members hold.
        ConsumerGroupDescription description = GroupSupport.describe(admin, group);
        assertEquals(GroupState.STABLE, description.groupState());
        assertEquals("range", description.partitionAssignor());
        Map<String, Set<TopicPartition>> described = GroupSupport.describedAssignments(admin, group);
        assertEquals(Map.of("a", a.assignment(), "b", b.assignment(), "c", c.assignment()), described);

        for (PolledConsumer member : three) {
            member.call(consumer -> {
                consumer.commitSync();
                return null;
            });
        }
        assertEquals(endOffsets(admin, all), committed(admin, group), "commitSync stored each member's position");

        // c leaves: a and b take its partitions and go on from its committed offsets.
        c.close();
        List<PolledConsumer> two = List.of(a, b);
        awaitSplit(two, all, 3);
        assertEquals(Set.of("a", "b"), GroupSupport.describedAssignments(admin, group).keySet());
        int aBefore = a.received().size();
        int bBefore = b.received().size();
        List<String> second = GroupSupport.produce(producer, TOPIC, PARTITIONS, "second", 120);
        awaitReceived(two, aBefore + bBefore + second.size());
        List<String> afterLeave = new ArrayList<>();
        a.received().subList(aBefore, a.received().size()).forEach(r -> afterLeave.add(r.value()));
        b.received().subList(bBefore, b.received().size()).forEach(r -> afterLeave.add(r.value()));
        assertEquals(new HashSet<>(second), new HashSet<>(afterLeave), "after the hand-over exactly the new records are read");
        assertEquals(second.size(), afterLeave.size(), "once each");
        for (PolledConsumer member : two) {
            CompletableFuture<Exception> done = new CompletableFuture<>();
            member.call(consumer -> {
                consumer.commitAsync((offsets, error) -> done.complete(error));
                return null;
            });
            assertNull(done.get(60, TimeUnit.SECONDS), member.name + ": commitAsync completed without error");
        }
        assertEquals(endOffsets(admin, all), committed(admin, group), "commitAsync stored each member's position");

        // b stops without leaving: only its silence tells the coordinator, after its session timeout.
        b.closeWithoutLeaving();
        waitUntil(() -> "a to own every partition: " + assignments(List.of(a)), SETTLE_TIMEOUT_MS,
                () -> a.assignment().equals(all));
        assertEquals(Set.of("a"), GroupSupport.describedAssignments(admin, group).keySet(),
                "the silent member is gone from the group");
        int beforeThird = a.received().size();
        List<String> third = GroupSupport.produce(producer, TOPIC, PARTITIONS, "third", 60);
        awaitReceived(List.of(a), beforeThird + third.size());
        assertEquals(new HashSet<>(third), new HashSet<>(values(List.of(a)).subList(beforeThird, a.received().size())),
                "b's partitions resume at its committed offsets");
        assertEquals(third.size(), a.received().size() - beforeThird, "once each");
        a.call(consumer -> {
            consumer.commitSync();
            return null;
        });
        a.close();
        waitUntil("the group to be empty", SETTLE_TIMEOUT_MS, () -> {
            try {
                return GroupSupport.describe(admin, group).groupState() == GroupState.EMPTY;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        // A new member of the empty group starts at the committed offsets.
        Map<TopicPartition, Long> committedBefore = committed(admin, group);
        List<String> fourth = GroupSupport.produce(producer, TOPIC, PARTITIONS, "fourth", 30);
        PolledConsumer d = member(group, "d", Map.of());
        awaitReceived(List.of(d), fourth.size());
        assertEquals(fourth.size(), d.received().size());
        assertEquals(new HashSet<>(fourth), new HashSet<>(values(List.of(d))), "only records after the committed offsets");
        for (TopicPartition tp : all) {
            long firstOffset = d.received().stream().filter(r -> r.partition().equals(tp))
                    .mapToLong(PolledConsumer.Received::offset).min().orElseThrow();
            assertEquals(committedBefore.get(tp), firstOffset, tp + " resumed at its committed offset");
        }
        for (PolledConsumer member : members) {
            member.assertHealthy();
        }
    }

    @Test
    void commitSyncOfChosenOffsetsKeepsTheirMetadata() throws Exception {
        String group = "explicit";
        PolledConsumer a = member(group, "explicit-a", Map.of());
        waitUntil(() -> "one member owning all partitions: " + assignments(List.of(a)), SETTLE_TIMEOUT_MS,
                () -> a.assignment().size() == PARTITIONS);
        GroupSupport.produce(producer, TOPIC, PARTITIONS, "chosen", 60);
        awaitReceived(List.of(a), 60);
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        Map<TopicPartition, OffsetAndMetadata> chosen = Map.of(
                p0, new OffsetAndMetadata(7, "checkpoint seven"),
                p1, new OffsetAndMetadata(3, ""));
        Map<TopicPartition, OffsetAndMetadata> readBack = a.call(consumer -> {
            consumer.commitSync(chosen);
            return consumer.committed(Set.of(p0, p1));
        });
        assertEquals(7, readBack.get(p0).offset());
        assertEquals("checkpoint seven", readBack.get(p0).metadata());
        assertEquals(3, readBack.get(p1).offset());
        assertEquals("", readBack.get(p1).metadata());
        // Kafka's offset.metadata.max.bytes (4096) bounds what a commit may carry.
        Map<TopicPartition, OffsetAndMetadata> oversized = Map.of(p0, new OffsetAndMetadata(8, "m".repeat(4097)));
        assertThrows(OffsetMetadataTooLarge.class, () -> a.call(consumer -> {
            consumer.commitSync(oversized);
            return null;
        }));
        Map<TopicPartition, OffsetAndMetadata> listed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
        assertEquals(Set.of(p0, p1), listed.keySet(), "only the committed partitions are listed");
        assertEquals("checkpoint seven", listed.get(p0).metadata());
        a.assertHealthy();
    }

    @Test
    void autoCommitStoresThePositionsWithoutAnExplicitCommit() throws Exception {
        String group = "auto";
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        Map<String, Object> autoCommit = new HashMap<>();
        autoCommit.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
        autoCommit.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 100);
        PolledConsumer a = member(group, "auto-a", autoCommit);
        PolledConsumer b = member(group, "auto-b", autoCommit);
        awaitSplit(List.of(a, b), all, 3);
        List<String> values = GroupSupport.produce(producer, TOPIC, PARTITIONS, "auto", 90);
        awaitReceived(List.of(a, b), values.size());
        Map<TopicPartition, Long> end = endOffsets(admin, all);
        waitUntil(() -> "auto-commit of " + end, SETTLE_TIMEOUT_MS, () -> {
            try {
                return committed(admin, group).equals(end);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        a.assertHealthy();
        b.assertHealthy();
    }

    @Test
    void aChangedSubscriptionAndALeavingLeaderRebalanceTheGroup() throws Exception {
        String group = "changing";
        String extra = "extra";
        GroupSupport.createTopic(admin, extra, 2);
        Set<TopicPartition> orders = GroupSupport.partitions(TOPIC, PARTITIONS);
        Set<TopicPartition> extras = GroupSupport.partitions(extra, 2);
        // "lead" joins first and leads; "follow" joins the stable group.
        PolledConsumer lead = member(group, "lead", Map.of());
        waitUntil(() -> "lead to own the topic: " + assignments(List.of(lead)), SETTLE_TIMEOUT_MS,
                () -> lead.assignment().equals(orders));
        PolledConsumer follow = member(group, "follow", Map.of());
        awaitSplit(List.of(lead, follow), orders, 3);

        // The follower subscribes to a second topic: its new metadata must reach the leader's assignor.
        follow.call(consumer -> {
            consumer.subscribe(List.of(TOPIC, extra));
            return null;
        });
        waitUntil(() -> "the follower to get the extra topic: " + assignments(List.of(lead, follow)), SETTLE_TIMEOUT_MS,
                () -> follow.assignment().containsAll(extras) && follow.assignment().size() == 5
                        && lead.assignment().size() == 3);
        assertTrue(lead.assignment().stream().allMatch(tp -> tp.topic().equals(TOPIC)),
                "only the follower subscribed to the extra topic: " + lead.assignment());

        // The leader leaves: the follower leads a group of one and owns everything it subscribes to.
        lead.close();
        Set<TopicPartition> everything = new HashSet<>(orders);
        everything.addAll(extras);
        waitUntil(() -> "the follower to own everything: " + assignments(List.of(follow)), SETTLE_TIMEOUT_MS,
                () -> follow.assignment().equals(everything));
        assertEquals(Map.of("follow", everything), GroupSupport.describedAssignments(admin, group));
        follow.assertHealthy();
    }

    @Test
    void describedMembersCarryTheirClientAndHost() throws Exception {
        String group = "described";
        PolledConsumer a = member(group, "described-a", Map.of());
        PolledConsumer b = member(group, "described-b", Map.of());
        awaitSplit(List.of(a, b), GroupSupport.partitions(TOPIC, PARTITIONS), 3);
        ConsumerGroupDescription description = GroupSupport.describe(admin, group);
        assertEquals(2, description.members().size());
        Set<String> memberIds = description.members().stream().map(MemberDescription::consumerId).collect(Collectors.toSet());
        assertEquals(2, memberIds.size(), "distinct member ids");
        for (MemberDescription member : description.members()) {
            assertTrue(member.consumerId().startsWith(member.clientId() + "-"),
                    "Kafka's member id is the client id, a dash and a UUID: " + member.consumerId());
            assertTrue(member.host().contains("127.0.0.1"), member.host());
            assertTrue(member.groupInstanceId().isEmpty());
        }
        assertFalse(description.isSimpleConsumerGroup());
        assertEquals(fixture.broker().config().nodeId(), description.coordinator().id());
    }
}
