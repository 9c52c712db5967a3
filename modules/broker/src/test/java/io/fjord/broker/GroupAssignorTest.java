package io.fjord.broker;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static io.fjord.broker.GroupSupport.SETTLE_TIMEOUT_MS;
import static io.fjord.broker.GroupSupport.assignments;
import static io.fjord.broker.GroupSupport.splits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each of Kafka's client-side assignors, chosen with {@code partition.assignment.strategy}: the
 * coordinator selects the protocol, hands the leader the members' subscriptions and every member
 * the assignment the leader chose; {@code cooperative-sticky} rebalances incrementally, so
 * partitions that do not move stay owned through the rebalance.
 */
class GroupAssignorTest extends GroupBrokerTest {

    private static final String TOPIC = "assigned";
    private static final int PARTITIONS = 6;
    private static final String COOPERATIVE_STICKY = CooperativeStickyAssignor.class.getName();

    @Override
    void createTopics() throws Exception {
        GroupSupport.createTopic(admin, TOPIC, PARTITIONS);
    }

    /** A member using the assignor class {@code assignorClass}, as Kafka's client names it in its configuration. */
    private PolledConsumer member(String group, String clientId, String assignorClass) {
        PolledConsumer member = GroupSupport.member(fixture.bootstrap(), group, clientId, TOPIC,
                Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignorClass));
        members.add(member);
        return member;
    }

    @ParameterizedTest
    @CsvSource({
            "range, org.apache.kafka.clients.consumer.RangeAssignor",
            "roundrobin, org.apache.kafka.clients.consumer.RoundRobinAssignor",
            "sticky, org.apache.kafka.clients.consumer.StickyAssignor",
            "cooperative-sticky, org.apache.kafka.clients.consumer.CooperativeStickyAssignor"})
    void everyAssignorSplitsTheTopicAndEveryMemberGetsWhatTheLeaderChose(String assignor, String assignorClass)
            throws Exception {
        String group = "group-" + assignor;
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        List<PolledConsumer> three = List.of(member(group, "x", assignorClass), member(group, "y", assignorClass),
                member(group, "z", assignorClass));
        waitUntil(() -> assignor + " splitting 2/2/2: " + assignments(three), SETTLE_TIMEOUT_MS,
                () -> splits(three, all, 2));
        assertEquals(assignor, GroupSupport.describe(admin, group).partitionAssignor(), "the protocol the group runs");
        assertEquals(Map.of("x", three.get(0).assignment(), "y", three.get(1).assignment(), "z", three.get(2).assignment()),
                GroupSupport.describedAssignments(admin, group), "the coordinator stored what each member was given");

        List<String> values = GroupSupport.produce(producer, TOPIC, PARTITIONS, assignor, 60);
        waitUntil("60 records across the group", SETTLE_TIMEOUT_MS,
                () -> three.stream().mapToInt(m -> m.received().size()).sum() >= values.size());
        List<String> read = new ArrayList<>();
        for (PolledConsumer member : three) {
            for (PolledConsumer.Received r : member.received()) {
                assertTrue(member.assignment().contains(r.partition()), member.name + " read " + r);
                read.add(r.value());
            }
        }
        assertEquals(values.size(), read.size(), "each record read once");
        assertEquals(new HashSet<>(values), new HashSet<>(read));
        three.forEach(PolledConsumer::assertHealthy);
    }

    @Test
    void cooperativeStickyRevokesOnlyThePartitionsThatMove() throws Exception {
        String group = "incremental";
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        PolledConsumer a = member(group, "a", COOPERATIVE_STICKY);
        PolledConsumer b = member(group, "b", COOPERATIVE_STICKY);
        waitUntil(() -> "a 3/3 split: " + assignments(List.of(a, b)), SETTLE_TIMEOUT_MS,
                () -> splits(List.of(a, b), all, 3));
        Set<TopicPartition> aBefore = a.assignment();
        Set<TopicPartition> bBefore = b.assignment();
        int aEvents = a.events().size();
        int bEvents = b.events().size();

        PolledConsumer c = member(group, "c", COOPERATIVE_STICKY);
        List<PolledConsumer> three = List.of(a, b, c);
        waitUntil(() -> "a 2/2/2 split: " + assignments(three), SETTLE_TIMEOUT_MS, () -> splits(three, all, 2));

        assertIncremental(a, aBefore, aEvents);
        assertIncremental(b, bBefore, bEvents);
        assertEquals(2, c.assignment().size());
        assertTrue(c.events().stream().noneMatch(e -> e.kind() != PolledConsumer.RebalanceEvent.Kind.ASSIGNED),
                "the newcomer only ever gains partitions: " + c.events());
        three.forEach(PolledConsumer::assertHealthy);
    }

    /**
     * A member that kept {@code after} of {@code before} was told to revoke exactly the others,
     * never a partition it kept, and was given nothing it did not hold already.
     */
    private static void assertIncremental(PolledConsumer member, Set<TopicPartition> before, int eventsBefore) {
        Set<TopicPartition> after = member.assignment();
        assertTrue(before.containsAll(after), member.name + ": sticky, it only gives partitions away: " + before + " -> " + after);
        Set<TopicPartition> moved = new HashSet<>(before);
        moved.removeAll(after);
        assertFalse(moved.isEmpty(), member.name + " gave a partition to the newcomer");
        List<PolledConsumer.RebalanceEvent> events = member.events().subList(eventsBefore, member.events().size());
        Set<TopicPartition> revoked = new HashSet<>();
        for (PolledConsumer.RebalanceEvent event : events) {
            switch (event.kind()) {
                case REVOKED -> revoked.addAll(event.partitions());
                case ASSIGNED -> assertTrue(event.partitions().isEmpty(),
                        member.name + " was given partitions in an incremental rebalance: " + event);
                case LOST -> throw new AssertionError(member.name + " lost partitions: " + event);
            }
        }
        assertEquals(moved, revoked, member.name + ": exactly the moving partitions were revoked; events " + events);
    }
}
