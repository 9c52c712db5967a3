package io.fjord.broker;

import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static io.fjord.broker.GroupSupport.SETTLE_TIMEOUT_MS;
import static io.fjord.broker.GroupSupport.assignments;
import static io.fjord.broker.GroupSupport.splits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static membership ({@code group.instance.id}, KIP-345): a static member that closes does not
 * leave, one that comes back under the same instance id within its session takes over its old
 * place and partitions under a new member id without a rebalance of the others (the leader too),
 * and a second live instance with the same id fences the first.
 */
class GroupStaticMembershipTest extends GroupBrokerTest {

    private static final String TOPIC = "static";
    private static final int PARTITIONS = 6;
    private static final String GROUP = "statics";
    /** Long enough for a consumer to be closed and a new one to join on a loaded machine. */
    private static final int STATIC_SESSION_TIMEOUT_MS = 30_000;

    @Override
    void createTopics() throws Exception {
        GroupSupport.createTopic(admin, TOPIC, PARTITIONS);
    }

    private PolledConsumer staticMember(String clientId, String instanceId) {
        PolledConsumer member = GroupSupport.member(fixture.bootstrap(), GROUP, clientId, TOPIC, Map.of(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, STATIC_SESSION_TIMEOUT_MS));
        members.add(member);
        return member;
    }

    private MemberDescription describedInstance(String instanceId) throws Exception {
        return GroupSupport.describe(admin, GROUP).members().stream()
                .filter(m -> m.groupInstanceId().equals(Optional.of(instanceId))).findFirst()
                .orElseThrow(() -> new AssertionError("no member with instance id " + instanceId));
    }

    @Test
    void aStaticMemberRejoiningWithinItsSessionKeepsItsPartitionsWithoutARebalance() throws Exception {
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        // "one" joins first and leads; "two" is the follower that restarts, so no assignment is re-run.
        PolledConsumer one = staticMember("one", "instance-one");
        waitUntil(() -> "one to own everything: " + assignments(List.of(one)), SETTLE_TIMEOUT_MS,
                () -> one.assignment().equals(all));
        PolledConsumer two = staticMember("two", "instance-two");
        waitUntil(() -> "a 3/3 split: " + assignments(List.of(one, two)), SETTLE_TIMEOUT_MS,
                () -> splits(List.of(one, two), all, 3));
        Set<TopicPartition> twosPartitions = two.assignment();
        int generation = one.call(consumer -> consumer.groupMetadata().generationId());
        int oneEvents = one.events().size();
        String oldMemberId = describedInstance("instance-two").consumerId();

        // A static member closes without leaving: the coordinator keeps its place for the session.
        two.close();
        assertEquals(2, GroupSupport.describe(admin, GROUP).members().size(), "the closed static member keeps its place");
        assertEquals(oldMemberId, describedInstance("instance-two").consumerId());

        PolledConsumer twoAgain = staticMember("two-again", "instance-two");
        waitUntil(() -> "the returning member to get its partitions: " + assignments(List.of(twoAgain)),
                SETTLE_TIMEOUT_MS, () -> !twoAgain.assignment().isEmpty());
        assertEquals(twosPartitions, twoAgain.assignment(), "the returning static member keeps its partitions");
        // A rebalance would have made "one" revoke before the newcomer could get an assignment.
        assertEquals(oneEvents, one.events().size(), "no rebalance callbacks at the other member: " + one.events());
        assertEquals(generation, (int) one.call(consumer -> consumer.groupMetadata().generationId()),
                "the generation did not move");
        assertTrue(splits(List.of(one, twoAgain), all, 3), assignments(List.of(one, twoAgain)));

        MemberDescription returned = describedInstance("instance-two");
        assertNotEquals(oldMemberId, returned.consumerId(), "the new instance got a new member id");
        assertEquals("two-again", returned.clientId());
        assertEquals(twosPartitions, returned.assignment().topicPartitions());
        assertEquals(2, GroupSupport.describe(admin, GROUP).members().size());

        GroupSupport.produce(producer, TOPIC, PARTITIONS, "after-return", 60);
        waitUntil("the returning member to read its partitions", SETTLE_TIMEOUT_MS,
                () -> twoAgain.received().size() >= 30);
        assertTrue(twoAgain.received().stream().allMatch(r -> twosPartitions.contains(r.partition())));
        one.assertHealthy();
        twoAgain.assertHealthy();
    }

    @Test
    void aStaticLeaderRejoiningWithinItsSessionKeepsItsPartitionsWithoutARebalance() throws Exception {
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        // "one" joins first and leads; it is the one that restarts.
        PolledConsumer one = staticMember("one", "instance-one");
        waitUntil(() -> "one to own everything: " + assignments(List.of(one)), SETTLE_TIMEOUT_MS,
                () -> one.assignment().equals(all));
        PolledConsumer two = staticMember("two", "instance-two");
        waitUntil(() -> "a 3/3 split: " + assignments(List.of(one, two)), SETTLE_TIMEOUT_MS,
                () -> splits(List.of(one, two), all, 3));
        String oldLeaderId = describedInstance("instance-one").consumerId();
        Set<TopicPartition> onesPartitions = one.assignment();
        int generation = two.call(consumer -> consumer.groupMetadata().generationId());
        int twoEvents = two.events().size();

        one.close();
        PolledConsumer oneAgain = staticMember("one-again", "instance-one");
        waitUntil(() -> "the returning leader to get its partitions: " + assignments(List.of(oneAgain)),
                SETTLE_TIMEOUT_MS, () -> !oneAgain.assignment().isEmpty());
        assertEquals(onesPartitions, oneAgain.assignment(), "the returning leader keeps its partitions");
        assertEquals(twoEvents, two.events().size(), "no rebalance callbacks at the other member: " + two.events());
        assertEquals(generation, (int) two.call(consumer -> consumer.groupMetadata().generationId()),
                "the generation did not move");
        assertEquals(generation, (int) oneAgain.call(consumer -> consumer.groupMetadata().generationId()));
        assertNotEquals(oldLeaderId, describedInstance("instance-one").consumerId(), "a new member id");
        assertEquals(2, GroupSupport.describe(admin, GROUP).members().size());

        GroupSupport.produce(producer, TOPIC, PARTITIONS, "after-return", 60);
        waitUntil("both members to read their partitions", SETTLE_TIMEOUT_MS,
                () -> oneAgain.received().size() >= 30 && two.received().size() >= 30);
        assertTrue(oneAgain.received().stream().allMatch(r -> onesPartitions.contains(r.partition())));
        oneAgain.assertHealthy();
        two.assertHealthy();
    }

    @Test
    void aSecondInstanceWithTheSameIdFencesTheFirst() throws Exception {
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        PolledConsumer first = staticMember("first", "instance-shared");
        waitUntil(() -> "the first instance to own everything: " + assignments(List.of(first)), SETTLE_TIMEOUT_MS,
                () -> first.assignment().equals(all));
        String firstId = describedInstance("instance-shared").consumerId();

        PolledConsumer second = staticMember("second", "instance-shared");
        waitUntil(() -> "the second instance to take over: " + assignments(List.of(second)), SETTLE_TIMEOUT_MS,
                () -> second.assignment().equals(all));
        waitUntil(() -> "the first instance to be fenced, failure: " + first.failure(), SETTLE_TIMEOUT_MS,
                () -> first.failure() != null);
        assertInstanceOf(FencedInstanceIdException.class, first.failure(), "Kafka's client stops a fenced instance");
        MemberDescription only = describedInstance("instance-shared");
        assertEquals(1, GroupSupport.describe(admin, GROUP).members().size(), "one member per instance id");
        assertNotEquals(firstId, only.consumerId());
        assertEquals("second", only.clientId());
        second.assertHealthy();
    }
}
