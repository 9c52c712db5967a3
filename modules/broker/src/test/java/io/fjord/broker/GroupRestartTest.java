package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static io.fjord.broker.GroupSupport.SETTLE_TIMEOUT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Committed offsets and group state live in {@code __consumer_offsets}: they survive a kill -9 of
 * a broker in its own JVM and a clean restart, a member that stays up through the kill goes on in
 * its generation without a rebalance, and a new member resumes where the group left off.
 */
class GroupRestartTest {

    private static final String TOPIC = "kept";
    private static final int PARTITIONS = 3;
    private static final String GROUP = "survivors";
    private static final String ADMIN_GROUP = "set-by-admin";
    private static final String DELETED_GROUP = "deleted-before-kill";
    private static final String LIVE_TOPIC = "live";
    private static final String LIVE_GROUP = "stays-up";

    @TempDir
    Path tmp;

    @Test
    void offsetsAndGroupsSurviveKillNineAndACleanRestart() throws Exception {
        Path dataDir = tmp.resolve("data");
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        Map<TopicPartition, OffsetAndMetadata> adminOffsets = Map.of(
                p0, new OffsetAndMetadata(5, "five"),
                new TopicPartition(TOPIC, 1), new OffsetAndMetadata(6, "six"));

        ForkedBroker broker = ForkedBroker.start(dataDir, 0, GroupSupport.BROKER_SETTINGS);
        int port = broker.port;
        PolledConsumer live = null;
        try {
            try (Admin admin = BrokerFixture.admin(broker.bootstrap());
                 KafkaProducer<byte[], byte[]> producer = BrokerFixture.producer(broker.bootstrap(), Map.of())) {
                GroupSupport.createTopic(admin, TOPIC, PARTITIONS);
                GroupSupport.createTopic(admin, LIVE_TOPIC, 2);
                List<String> first = GroupSupport.produce(producer, TOPIC, PARTITIONS, "before-kill", 90);
                readAndCommit(broker.bootstrap(), "first-member", first);
                admin.alterConsumerGroupOffsets(ADMIN_GROUP, adminOffsets).all().get(60, TimeUnit.SECONDS);
                // Deletions are records too: a deleted offset and a deleted group must stay deleted.
                TopicPartition p2 = new TopicPartition(TOPIC, 2);
                admin.alterConsumerGroupOffsets(ADMIN_GROUP, Map.of(p2, new OffsetAndMetadata(9))).all()
                        .get(60, TimeUnit.SECONDS);
                admin.deleteConsumerGroupOffsets(ADMIN_GROUP, Set.of(p2)).all().get(60, TimeUnit.SECONDS);
                admin.alterConsumerGroupOffsets(DELETED_GROUP, Map.of(p0, new OffsetAndMetadata(3))).all()
                        .get(60, TimeUnit.SECONDS);
                admin.deleteConsumerGroups(List.of(DELETED_GROUP)).all().get(60, TimeUnit.SECONDS);
                assertEquals(Map.of(p0, 30L, new TopicPartition(TOPIC, 1), 30L, new TopicPartition(TOPIC, 2), 30L),
                        GroupSupport.committed(admin, GROUP));
            }
            // A member that stays up through the kill, with a session long enough to outlast the
            // restart. Kafka 4's client would otherwise "rebootstrap" while no broker answers: its
            // metadata would lose the topic, and as the leader it would rebalance on its own account.
            live = GroupSupport.member(broker.bootstrap(), LIVE_GROUP, "live-member", LIVE_TOPIC,
                    Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000,
                            CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none"));
            PolledConsumer member = live;
            waitUntil(() -> "the live member to own its topic: " + GroupSupport.assignments(List.of(member)),
                    SETTLE_TIMEOUT_MS, () -> member.assignment().equals(GroupSupport.partitions(LIVE_TOPIC, 2)));
            ConsumerGroupMetadata before = live.call(KafkaConsumer::groupMetadata);
            int eventsBefore = live.events().size();

            broker.kill9();
            assertFalse(broker.isAlive());
            // The same port, so the live member finds its coordinator again.
            broker = ForkedBroker.start(dataDir, port, GroupSupport.BROKER_SETTINGS);
            try (Admin admin = BrokerFixture.admin(broker.bootstrap());
                 KafkaProducer<byte[], byte[]> producer = BrokerFixture.producer(broker.bootstrap(), Map.of())) {
                assertSurvived(admin, 30L, adminOffsets);

                // The live group came back from the log as it was: same member, generation and assignment.
                ConsumerGroupDescription reloaded = GroupSupport.describe(admin, LIVE_GROUP);
                assertEquals(GroupState.STABLE, reloaded.groupState());
                assertEquals(1, reloaded.members().size());
                MemberDescription reloadedMember = reloaded.members().iterator().next();
                assertEquals(before.memberId(), reloadedMember.consumerId());
                assertEquals(GroupSupport.partitions(LIVE_TOPIC, 2), reloadedMember.assignment().topicPartitions());
                List<String> liveValues = GroupSupport.produce(producer, LIVE_TOPIC, 2, "while-up", 20);
                waitUntil("the live member to read on after the restart", SETTLE_TIMEOUT_MS,
                        () -> member.received().size() >= liveValues.size());
                assertEquals(new HashSet<>(liveValues),
                        new HashSet<>(member.received().stream().map(PolledConsumer.Received::value).toList()));
                ConsumerGroupMetadata after = live.call(KafkaConsumer::groupMetadata);
                assertEquals(before.memberId(), after.memberId(), "the member kept its id");
                assertEquals(before.generationId(), after.generationId(), () -> "no new generation; callbacks " + member.events());
                assertEquals(eventsBefore, live.events().size(), "no rebalance: " + live.events());
                live.assertHealthy();
                live.close();

                List<String> second = GroupSupport.produce(producer, TOPIC, PARTITIONS, "after-kill", 30);
                readAndCommit(broker.bootstrap(), "second-member", second);
            }
            broker.stopCleanly();
        } finally {
            if (live != null) {
                live.close();
            }
            broker.close();
        }

        try (ForkedBroker last = ForkedBroker.start(dataDir, 0, GroupSupport.BROKER_SETTINGS);
             Admin admin = BrokerFixture.admin(last.bootstrap())) {
            assertSurvived(admin, 40L, adminOffsets);
            assertEquals(GroupSupport.endOffsets(admin, all), GroupSupport.committed(admin, GROUP));
            last.stopCleanly();
        }
    }

    /**
     * A new member of {@link #GROUP} reads exactly {@code expected} (the records after the
     * committed offsets), commits and leaves.
     */
    private static void readAndCommit(String bootstrap, String clientId, List<String> expected) throws Exception {
        try (PolledConsumer member = GroupSupport.member(bootstrap, GROUP, clientId, TOPIC, Map.of())) {
            waitUntil(() -> clientId + " to read " + expected.size() + " records, got " + member.received().size(),
                    SETTLE_TIMEOUT_MS, () -> member.received().size() >= expected.size());
            assertEquals(expected.size(), member.received().size(), "nothing before the committed offsets is read again");
            assertEquals(new HashSet<>(expected),
                    new HashSet<>(member.received().stream().map(PolledConsumer.Received::value).toList()));
            member.call(consumer -> {
                consumer.commitSync();
                return null;
            });
            member.assertHealthy();
        }
    }

    /** The member group is listed, empty, with its protocol type, and both groups' offsets are as committed. */
    private static void assertSurvived(Admin admin, long perPartition, Map<TopicPartition, OffsetAndMetadata> adminOffsets)
            throws Exception {
        Map<TopicPartition, Long> expected = Map.of(new TopicPartition(TOPIC, 0), perPartition,
                new TopicPartition(TOPIC, 1), perPartition, new TopicPartition(TOPIC, 2), perPartition);
        assertEquals(expected, GroupSupport.committed(admin, GROUP));
        Map<TopicPartition, OffsetAndMetadata> stored = admin.listConsumerGroupOffsets(ADMIN_GROUP)
                .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
        assertEquals(adminOffsets.keySet(), stored.keySet());
        adminOffsets.forEach((tp, om) -> {
            assertEquals(om.offset(), stored.get(tp).offset(), tp.toString());
            assertEquals(om.metadata(), stored.get(tp).metadata(), tp.toString());
        });
        Collection<GroupListing> groups = admin.listGroups().all().get(60, TimeUnit.SECONDS);
        assertTrue(groups.stream().anyMatch(g -> g.groupId().equals(GROUP) && g.protocol().equals("consumer")),
                "the consumer group is listed after the restart: " + groups);
        assertFalse(groups.stream().anyMatch(g -> g.groupId().equals(DELETED_GROUP)), "a deleted group stays deleted");
        assertEquals(Map.of(), GroupSupport.committed(admin, DELETED_GROUP));
        ConsumerGroupDescription description = GroupSupport.describe(admin, GROUP);
        assertEquals(GroupState.EMPTY, description.groupState());
        assertTrue(description.members().isEmpty());
    }
}
