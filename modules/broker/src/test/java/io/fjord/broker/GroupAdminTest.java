package io.fjord.broker;

import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static io.fjord.broker.GroupSupport.SETTLE_TIMEOUT_MS;
import static io.fjord.broker.GroupSupport.assignments;
import static io.fjord.broker.GroupSupport.committed;
import static io.fjord.broker.GroupSupport.failureOf;
import static io.fjord.broker.GroupSupport.splits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's {@code Admin} on consumer groups: listing, describing, listing, altering and deleting
 * committed offsets, deleting groups, each with the error Kafka gives when the group is in use or
 * the partition does not exist.
 */
class GroupAdminTest extends GroupBrokerTest {

    private static final String TOPIC = "audited";
    private static final String OTHER = "other";
    private static final int PARTITIONS = 4;
    private static final String GROUP = "auditors";

    @Override
    void createTopics() throws Exception {
        GroupSupport.createTopic(admin, TOPIC, PARTITIONS);
        GroupSupport.createTopic(admin, OTHER, 2);
    }

    private PolledConsumer member(String clientId) {
        PolledConsumer member = GroupSupport.member(fixture.bootstrap(), GROUP, clientId, TOPIC, Map.of());
        members.add(member);
        return member;
    }

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    /** Two members on four partitions, 40 records read and committed, and an offset of a topic they do not read. */
    private List<PolledConsumer> liveGroup() throws Exception {
        PolledConsumer a = member("auditor-a");
        PolledConsumer b = member("auditor-b");
        List<PolledConsumer> two = List.of(a, b);
        waitUntil(() -> "a 2/2 split: " + assignments(two), SETTLE_TIMEOUT_MS,
                () -> splits(two, GroupSupport.partitions(TOPIC, PARTITIONS), 2));
        GroupSupport.produce(producer, TOPIC, PARTITIONS, "audit", 40);
        waitUntil("40 records read", SETTLE_TIMEOUT_MS, () -> a.received().size() + b.received().size() >= 40);
        for (PolledConsumer member : two) {
            member.call(consumer -> {
                consumer.commitSync();
                return null;
            });
        }
        // A member may commit partitions it does not own, of a topic the group is not subscribed to.
        a.call(consumer -> {
            consumer.commitSync(Map.of(tp(OTHER, 0), new OffsetAndMetadata(5)));
            return null;
        });
        return two;
    }

    @Test
    void aLiveGroupIsListedDescribedAndProtectedFromDeletion() throws Exception {
        List<PolledConsumer> two = liveGroup();

        Collection<GroupListing> groups = admin.listGroups().all().get(60, TimeUnit.SECONDS);
        GroupListing listed = groups.stream().filter(g -> g.groupId().equals(GROUP)).findFirst()
                .orElseThrow(() -> new AssertionError("listGroups misses the group: " + groups));
        assertEquals("consumer", listed.protocol());
        assertEquals(Optional.of(GroupType.CLASSIC), listed.type());
        assertEquals(Optional.of(GroupState.STABLE), listed.groupState());
        Collection<GroupListing> empties = admin.listGroups(ListGroupsOptions.forConsumerGroups()
                .inGroupStates(Set.of(GroupState.EMPTY))).all().get(60, TimeUnit.SECONDS);
        assertFalse(empties.stream().anyMatch(g -> g.groupId().equals(GROUP)), "a state filter leaves a stable group out");
        assertFalse(groups.stream().anyMatch(g -> g.groupId().startsWith("__")), "no internal names: " + groups);
        @SuppressWarnings("deprecation")
        Collection<ConsumerGroupListing> consumerGroups = admin.listConsumerGroups().all().get(60, TimeUnit.SECONDS);
        assertTrue(consumerGroups.stream().anyMatch(g -> g.groupId().equals(GROUP) && !g.isSimpleConsumerGroup()),
                consumerGroups.toString());

        ConsumerGroupDescription description = GroupSupport.describe(admin, GROUP);
        assertEquals(GroupState.STABLE, description.groupState());
        assertEquals("range", description.partitionAssignor());
        assertEquals(Map.of("auditor-a", two.get(0).assignment(), "auditor-b", two.get(1).assignment()),
                GroupSupport.describedAssignments(admin, GROUP));

        Map<TopicPartition, Long> expected = Map.of(tp(TOPIC, 0), 10L, tp(TOPIC, 1), 10L, tp(TOPIC, 2), 10L,
                tp(TOPIC, 3), 10L, tp(OTHER, 0), 5L);
        assertEquals(expected, committed(admin, GROUP));

        // Offsets of a group with members belong to the members: Kafka refuses an outside commit.
        Throwable alter = failureOf(admin.alterConsumerGroupOffsets(GROUP, Map.of(tp(TOPIC, 0), new OffsetAndMetadata(1)))
                .all());
        assertInstanceOf(UnknownMemberIdException.class, alter);
        assertInstanceOf(GroupNotEmptyException.class,
                failureOf(admin.deleteConsumerGroups(List.of(GROUP)).all()));
        assertInstanceOf(GroupSubscribedToTopicException.class,
                failureOf(admin.deleteConsumerGroupOffsets(GROUP, Set.of(tp(TOPIC, 0))).all()));
        // The group does not read OTHER, so its offsets can go while the members stay.
        assertNull(failureOf(admin.deleteConsumerGroupOffsets(GROUP, Set.of(tp(OTHER, 0))).all()));
        Map<TopicPartition, Long> withoutOther = Map.of(tp(TOPIC, 0), 10L, tp(TOPIC, 1), 10L, tp(TOPIC, 2), 10L,
                tp(TOPIC, 3), 10L);
        assertEquals(withoutOther, committed(admin, GROUP), "the refused calls changed nothing, the allowed one deleted");
        assertEquals(GroupState.STABLE, GroupSupport.describe(admin, GROUP).groupState());

        // Deleting a topic deletes the groups' offsets of it.
        two.get(0).call(consumer -> {
            consumer.commitSync(Map.of(tp(OTHER, 1), new OffsetAndMetadata(1)));
            return null;
        });
        assertEquals(1L, committed(admin, GROUP).get(tp(OTHER, 1)));
        admin.deleteTopics(List.of(OTHER)).all().get(60, TimeUnit.SECONDS);
        waitUntil("the deleted topic's offsets to go", SETTLE_TIMEOUT_MS, () -> {
            try {
                return committed(admin, GROUP).equals(withoutOther);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        two.forEach(PolledConsumer::assertHealthy);
    }

    @Test
    void offsetsOfTopicsOrPartitionsThatDoNotExistAreRefused() throws Exception {
        TopicPartition missingTopic = tp("never-created", 0);
        TopicPartition missingPartition = tp(TOPIC, PARTITIONS);
        AlterConsumerGroupOffsetsResult altered = admin.alterConsumerGroupOffsets(GROUP, Map.of(
                tp(TOPIC, 0), new OffsetAndMetadata(3), missingTopic, new OffsetAndMetadata(4),
                missingPartition, new OffsetAndMetadata(5)));
        assertNull(failureOf(altered.partitionResult(tp(TOPIC, 0))));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failureOf(altered.partitionResult(missingTopic)));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failureOf(altered.partitionResult(missingPartition)));
        assertEquals(Map.of(tp(TOPIC, 0), 3L), committed(admin, GROUP), "only the existing partition's offset is stored");
    }

    @Test
    void anEmptyGroupsOffsetsAreAlteredAndDeletedAndTheGroupIsDeleted() throws Exception {
        for (PolledConsumer member : liveGroup()) {
            member.close();
        }
        waitUntil("the group to be empty", SETTLE_TIMEOUT_MS, () -> {
            try {
                ConsumerGroupDescription d = GroupSupport.describe(admin, GROUP);
                return d.groupState() == GroupState.EMPTY && d.members().isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertNull(failureOf(admin.alterConsumerGroupOffsets(GROUP, Map.of(
                tp(TOPIC, 0), new OffsetAndMetadata(2), tp(TOPIC, 1), new OffsetAndMetadata(0))).all()));
        assertNull(failureOf(admin.deleteConsumerGroupOffsets(GROUP, Set.of(tp(TOPIC, 3))).all()));
        assertEquals(Map.of(tp(TOPIC, 0), 2L, tp(TOPIC, 1), 0L, tp(TOPIC, 2), 10L, tp(OTHER, 0), 5L),
                committed(admin, GROUP));

        // A new member starts where the admin put the offsets, and at the earliest where it deleted them.
        PolledConsumer c = member("auditor-c");
        waitUntil(() -> "28 records for the new member, got " + c.received().size(), SETTLE_TIMEOUT_MS,
                () -> c.received().size() >= 28);
        Map<TopicPartition, Long> firstOffsets = new TreeMap<>((x, y) -> x.toString().compareTo(y.toString()));
        for (PolledConsumer.Received r : c.received()) {
            firstOffsets.merge(r.partition(), r.offset(), Math::min);
        }
        assertEquals(Map.of(tp(TOPIC, 0), 2L, tp(TOPIC, 1), 0L, tp(TOPIC, 3), 0L), firstOffsets);
        assertEquals(28, c.received().size());
        c.close();

        waitUntil("the group to be empty again", SETTLE_TIMEOUT_MS, () -> {
            try {
                return GroupSupport.describe(admin, GROUP).groupState() == GroupState.EMPTY;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertNull(failureOf(admin.deleteConsumerGroups(List.of(GROUP)).all()));
        assertFalse(admin.listGroups().all().get(60, TimeUnit.SECONDS).stream().anyMatch(g -> g.groupId().equals(GROUP)),
                "a deleted group is not listed");
        assertEquals(Map.of(), committed(admin, GROUP), "a deleted group has no offsets");
        assertInstanceOf(GroupIdNotFoundException.class,
                failureOf(admin.deleteConsumerGroups(List.of("never-existed")).all()));
    }
}
