package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static io.fjord.broker.GroupSupport.SETTLE_TIMEOUT_MS;
import static io.fjord.broker.GroupSupport.committed;
import static io.fjord.broker.GroupSupport.endOffsets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deleting {@code __consumer_offsets} while the broker runs, which Kafka allows: the groups and
 * their committed offsets go with it, and the topic is created again on next use, so a group
 * formed afterwards joins, consumes and commits as on a new cluster.
 */
class GroupOffsetsTopicDeletionTest extends GroupBrokerTest {

    private static final String TOPIC = "kept";
    private static final int PARTITIONS = 2;
    private static final String OFFSETS_TOPIC = "__consumer_offsets";

    @Override
    void createTopics() throws Exception {
        GroupSupport.createTopic(admin, TOPIC, PARTITIONS);
    }

    private PolledConsumer member(String groupId) {
        PolledConsumer member = GroupSupport.member(fixture.bootstrap(), groupId, groupId + "-member", TOPIC, Map.of());
        members.add(member);
        return member;
    }

    /** Reads until {@code count} records are in, then commits its position. */
    private static void readAndCommit(PolledConsumer member, int count) throws Exception {
        waitUntil(() -> member.name + " to read " + count + " records, got " + member.received().size(),
                SETTLE_TIMEOUT_MS, () -> member.received().size() >= count);
        member.call(consumer -> {
            consumer.commitSync();
            return null;
        });
    }

    private boolean offsetsTopicListed() throws Exception {
        return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(60, TimeUnit.SECONDS)
                .contains(OFFSETS_TOPIC);
    }

    @Test
    void aGroupFormedAfterTheDeletionJoinsConsumesAndCommits() throws Exception {
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        GroupSupport.produce(producer, TOPIC, PARTITIONS, "first", 20);
        PolledConsumer before = member("before");
        readAndCommit(before, 20);
        assertEquals(endOffsets(admin, all), committed(admin, "before"));
        before.close();

        admin.deleteTopics(List.of(OFFSETS_TOPIC)).all().get(60, TimeUnit.SECONDS);
        assertFalse(offsetsTopicListed());

        GroupSupport.produce(producer, TOPIC, PARTITIONS, "second", 20);
        PolledConsumer after = member("after");
        readAndCommit(after, 40);
        assertEquals(all, after.assignment());
        assertEquals(40, after.received().size(), "a new group reads from the start, once");
        assertEquals(endOffsets(admin, all), committed(admin, "after"), "its commits are stored");
        assertEquals(Map.of(), committed(admin, "before"), "the old group's offsets went with the topic");
        assertTrue(offsetsTopicListed(), "created again on first use");
        after.assertHealthy();
    }
}
