package io.fjord.assignors;

import io.fjord.api.Cluster;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerGroupMetadata;
import io.fjord.api.consumer.PartitionAssignor.Assignment;
import io.fjord.api.consumer.PartitionAssignor.Subscription;
import io.fjord.assignors.protocol.StickyAssignorUserData;
import io.fjord.assignors.protocol.StickyAssignorUserData.MemberData;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.AbstractStickyAssignor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The sticky assignors' user data between Fjord and Kafka members of one group, both ways. */
class StickyUserDataInteropTest {

    /** Kafka's own reading of a member's history, reached through its protected hook. */
    static final class KafkaSticky extends org.apache.kafka.clients.consumer.StickyAssignor {
        AbstractStickyAssignor.MemberData read(ConsumerPartitionAssignor.Subscription s) {
            return memberData(s);
        }
    }

    static final class KafkaCooperativeSticky extends org.apache.kafka.clients.consumer.CooperativeStickyAssignor {
        AbstractStickyAssignor.MemberData read(ConsumerPartitionAssignor.Subscription s) {
            return memberData(s);
        }
    }

    private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("orders", 3),
            new TopicPartition("audit", 0), new TopicPartition("orders", 1), new TopicPartition("audit", 7));

    private static Set<TopicPartition> fjord(List<org.apache.kafka.common.TopicPartition> partitions) {
        Set<TopicPartition> set = new HashSet<>();
        partitions.forEach(tp -> set.add(Kafka.fjord(tp)));
        return set;
    }

    @Test
    void kafkaReadsTheStickyUserDataFjordSendsInBothVersions() {
        StickyAssignor ours = new StickyAssignor();
        assertNull(ours.subscriptionUserData(Set.of("orders")), "no history before the first assignment");
        ours.onAssignment(new Assignment(PARTITIONS), new ConsumerGroupMetadata("g", 41, "m", Optional.empty()));
        ByteBuffer v1 = ours.subscriptionUserData(Set.of("orders", "audit"));
        AbstractStickyAssignor.MemberData read = new KafkaSticky().read(
                new ConsumerPartitionAssignor.Subscription(List.of("orders", "audit"), v1));
        assertEquals(new HashSet<>(PARTITIONS), fjord(read.partitions));
        assertEquals(Optional.of(41), read.generation);

        ByteBuffer v0 = StickyAssignorUserData.encode(new MemberData(PARTITIONS, Optional.empty()));
        read = new KafkaSticky().read(new ConsumerPartitionAssignor.Subscription(List.of("orders"), v0));
        assertEquals(new HashSet<>(PARTITIONS), fjord(read.partitions));
        assertEquals(Optional.empty(), read.generation);
    }

    @Test
    void fjordReadsTheStickyUserDataKafkaSends() {
        KafkaSticky theirs = new KafkaSticky();
        theirs.onAssignment(new ConsumerPartitionAssignor.Assignment(PARTITIONS.stream().map(Kafka::tp).toList()),
                new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("g", 7, "m", Optional.empty()));
        MemberData read = StickyAssignor.memberData(theirs.subscriptionUserData(Set.of("orders", "audit")));
        assertEquals(new HashSet<>(PARTITIONS), new HashSet<>(read.partitions()));
        assertEquals(Optional.of(7), read.generation());
    }

    /** Cut or garbled user data: both sides fall back to the same history (none, generation -1). */
    @Test
    void brokenStickyUserDataReadsAsKafkaReadsIt() {
        Random random = new Random(21);
        ByteBuffer valid = StickyAssignorUserData.encode(new MemberData(PARTITIONS, Optional.of(9)));
        for (int cut = 0; cut <= valid.remaining(); cut++) {
            assertSameHistory(valid.duplicate().limit(cut));
        }
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[valid.remaining()];
            valid.duplicate().get(bytes);
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            assertSameHistory(ByteBuffer.wrap(bytes));
        }
    }

    private static void assertSameHistory(ByteBuffer userData) {
        AbstractStickyAssignor.MemberData theirs = new KafkaSticky().read(
                new ConsumerPartitionAssignor.Subscription(List.of("orders"), userData.duplicate()));
        MemberData ours = StickyAssignor.memberData(userData);
        if (theirs.partitions.stream().anyMatch(tp -> tp.partition() < 0)) {
            // Kafka takes negative partition numbers; Fjord refuses the data, so keeps no history.
            assertEquals(List.of(), ours.partitions());
            return;
        }
        assertEquals(theirs.partitions.stream().map(Kafka::fjord).toList(), ours.partitions());
        assertEquals(theirs.generation, ours.generation());
    }

    @Test
    void cooperativeGenerationTravelsBothWaysAndSubscriptionGenerationsWin() {
        CooperativeStickyAssignor ours = new CooperativeStickyAssignor();
        ours.onAssignment(new Assignment(PARTITIONS), new ConsumerGroupMetadata("g", 12, "m", Optional.empty()));
        List<org.apache.kafka.common.TopicPartition> owned = PARTITIONS.stream().map(Kafka::tp).toList();
        AbstractStickyAssignor.MemberData read = new KafkaCooperativeSticky().read(
                new ConsumerPartitionAssignor.Subscription(List.of("orders"), ours.subscriptionUserData(Set.of()), owned));
        assertEquals(Optional.of(12), read.generation);

        KafkaCooperativeSticky theirs = new KafkaCooperativeSticky();
        theirs.onAssignment(null, new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("g", 5, "m", Optional.empty()));
        ByteBuffer fromKafka = theirs.subscriptionUserData(Set.of());
        for (Subscription s : List.of(
                new Subscription(List.of("orders"), fromKafka, PARTITIONS, Optional.empty(), Optional.empty()),
                new Subscription(List.of("orders"), fromKafka, PARTITIONS, Optional.of(30), Optional.empty()),
                new Subscription(List.of("orders"), null, PARTITIONS, Optional.empty(), Optional.empty()),
                new Subscription(List.of("orders"), ByteBuffer.wrap(new byte[] {1, 2}), PARTITIONS, Optional.empty(),
                        Optional.empty()))) {
            AbstractStickyAssignor.MemberData expected = new KafkaCooperativeSticky().read(Kafka.subscription(s));
            MemberData actual = CooperativeStickyAssignor.memberData(s);
            assertEquals(expected.generation, actual.generation(), s.toString());
            assertEquals(fjord(expected.partitions), new HashSet<>(actual.partitions()));
        }
        assertEquals(Optional.of(5), CooperativeStickyAssignor.memberData(new Subscription(List.of("orders"), fromKafka,
                PARTITIONS, Optional.empty(), Optional.empty())).generation());
    }

    /**
     * One group, two leaders: Kafka's sticky leader keeps the odd split Fjord members report, and
     * Fjord's keeps the one Kafka members report. A reader that failed would fall back to ranges.
     */
    @Test
    void eitherLeaderKeepsTheOtherSidesPreviousAssignment() {
        Cluster cluster = Scenarios.cluster(new Random(2), new int[] {6}, false);
        List<TopicPartition> a = List.of(new TopicPartition("t0", 0), new TopicPartition("t0", 3), new TopicPartition("t0", 5));
        List<TopicPartition> b = List.of(new TopicPartition("t0", 1), new TopicPartition("t0", 2), new TopicPartition("t0", 4));
        Map<String, Subscription> fromFjord = Map.of(
                "a", new Subscription(List.of("t0"), StickyAssignorUserData.encode(new MemberData(a, Optional.of(3))),
                        List.of(), Optional.empty(), Optional.empty()),
                "b", new Subscription(List.of("t0"), StickyAssignorUserData.encode(new MemberData(b, Optional.of(3))),
                        List.of(), Optional.empty(), Optional.empty()));
        Map<String, List<TopicPartition>> byKafka = Kafka.assign(new org.apache.kafka.clients.consumer.StickyAssignor(),
                cluster, fromFjord);
        assertEquals(Map.of("a", a, "b", b), byKafka);

        KafkaSticky memberA = new KafkaSticky();
        KafkaSticky memberB = new KafkaSticky();
        org.apache.kafka.clients.consumer.ConsumerGroupMetadata generation =
                new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("g", 3, "x", Optional.empty());
        memberA.onAssignment(new ConsumerPartitionAssignor.Assignment(a.stream().map(Kafka::tp).toList()), generation);
        memberB.onAssignment(new ConsumerPartitionAssignor.Assignment(b.stream().map(Kafka::tp).toList()), generation);
        Map<String, Subscription> fromKafka = Map.of(
                "a", new Subscription(List.of("t0"), memberA.subscriptionUserData(Set.of("t0")), List.of(),
                        Optional.empty(), Optional.empty()),
                "b", new Subscription(List.of("t0"), memberB.subscriptionUserData(Set.of("t0")), List.of(),
                        Optional.empty(), Optional.empty()));
        assertEquals(Map.of("a", a, "b", b), Kafka.assign(new StickyAssignor(), cluster, fromKafka));
    }
}
