package io.fjord.assignors.protocol;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.PartitionAssignor.Assignment;
import io.fjord.api.consumer.PartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.protocol.types.SchemaException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Subscription and assignment bytes against Kafka's {@code ConsumerProtocol}, every version, both ways. */
class ConsumerProtocolTest {

    private static final String[] NAMES = {"orders", "payments", "t", "topic-with-a-longer-name", "ünïcödé", "a.b_c"};

    private static org.apache.kafka.common.TopicPartition kafka(TopicPartition tp) {
        return new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition());
    }

    private static TopicPartition fjord(org.apache.kafka.common.TopicPartition tp) {
        return new TopicPartition(tp.topic(), tp.partition());
    }

    private static ByteBuffer randomBytes(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> ByteBuffer.allocate(0);
            default -> {
                byte[] b = new byte[random.nextInt(40)];
                random.nextBytes(b);
                yield ByteBuffer.wrap(b);
            }
        };
    }

    private static List<TopicPartition> randomPartitions(Random random) {
        List<TopicPartition> list = new ArrayList<>();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            TopicPartition tp = new TopicPartition(NAMES[random.nextInt(NAMES.length)], random.nextInt(1000));
            if (!list.contains(tp)) {
                list.add(tp);
            }
        }
        return list;
    }

    private static Subscription randomSubscription(Random random) {
        List<String> topics = new ArrayList<>();
        for (String name : NAMES) {
            if (random.nextBoolean()) {
                topics.add(name);
            }
        }
        java.util.Collections.shuffle(topics, random);
        Optional<Integer> generation = random.nextBoolean() ? Optional.empty() : Optional.of(random.nextInt(5000));
        Optional<String> rack = switch (random.nextInt(3)) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of("");
            default -> Optional.of("rack-" + random.nextInt(9));
        };
        return new Subscription(topics, randomBytes(random), randomPartitions(random), generation, rack);
    }

    private static ConsumerPartitionAssignor.Subscription kafka(Subscription s) {
        return new ConsumerPartitionAssignor.Subscription(s.topics(), s.userData() == null ? null : s.userData().duplicate(),
                s.ownedPartitions().stream().map(ConsumerProtocolTest::kafka).toList(), s.generationId().orElse(-1),
                s.rackId());
    }

    /** What a reader must see of {@code s} once written at {@code version}. */
    private static void assertReadsAs(Subscription s, short version, List<String> topics, ByteBuffer userData,
                                      List<TopicPartition> owned, Optional<Integer> generation, Optional<String> rack) {
        assertEquals(s.topics().stream().sorted().toList(), topics);
        assertEquals(s.userData(), userData);
        assertEquals(version >= 1 ? s.ownedPartitions().stream().sorted().toList() : List.of(), owned);
        assertEquals(version >= 2 ? s.generationId() : Optional.empty(), generation);
        assertEquals(version >= 3 ? s.rackId().filter(r -> !r.isEmpty()) : Optional.empty(), rack);
    }

    @Test
    void subscriptionsAreKafkasBytesAndReadBothWaysInEveryVersion() {
        Random random = new Random(3);
        for (short version = 0; version <= 3; version++) {
            for (int i = 0; i < 300; i++) {
                Subscription s = randomSubscription(random);
                ByteBuffer ours = ConsumerProtocol.encodeSubscription(s, version);
                ByteBuffer theirs = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                        .serializeSubscription(kafka(s), version);
                assertEquals(theirs, ours, "version " + version + " " + s);
                assertEquals(version, ConsumerProtocol.version(ours));

                ConsumerPartitionAssignor.Subscription k = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                        .deserializeSubscription(ours.duplicate());
                assertReadsAs(s, version, k.topics(), k.userData(),
                        k.ownedPartitions().stream().map(ConsumerProtocolTest::fjord).toList(), k.generationId(), k.rackId());

                Subscription f = ConsumerProtocol.decodeSubscription(theirs);
                assertReadsAs(s, version, f.topics(), f.userData(), f.ownedPartitions(), f.generationId(), f.rackId());
                assertEquals(0, theirs.position(), "decoding must not move the caller's position");
            }
        }
    }

    @Test
    void assignmentsAreKafkasBytesAndReadBothWaysInEveryVersion() {
        Random random = new Random(4);
        for (short version = 0; version <= 3; version++) {
            for (int i = 0; i < 300; i++) {
                Assignment a = new Assignment(randomPartitions(random), randomBytes(random));
                ByteBuffer ours = ConsumerProtocol.encodeAssignment(a, version);
                ByteBuffer theirs = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeAssignment(
                        new ConsumerPartitionAssignor.Assignment(a.partitions().stream().map(ConsumerProtocolTest::kafka)
                                .toList(), a.userData() == null ? null : a.userData().duplicate()), version);
                assertEquals(theirs, ours, "version " + version + " " + a);

                ConsumerPartitionAssignor.Assignment k = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                        .deserializeAssignment(ours.duplicate());
                Assignment f = ConsumerProtocol.decodeAssignment(theirs);
                assertEquals(k.partitions().stream().map(ConsumerProtocolTest::fjord).toList(), f.partitions());
                assertEquals(a.partitions().stream().sorted().toList(), f.partitions().stream().sorted().toList());
                assertEquals(a.userData(), f.userData());
                assertEquals(a.userData(), k.userData());
            }
        }
    }

    @Test
    void aNewerVersionIsReadWithTheNewestLayoutIgnoringTrailingFields() {
        Subscription s = new Subscription(List.of("b", "a"), ByteBuffer.wrap(new byte[] {1, 2}),
                List.of(new TopicPartition("a", 3)), Optional.of(9), Optional.of("r1"));
        ByteBuffer v3 = ConsumerProtocol.encodeSubscription(s, (short) 3);
        ByteBuffer v7 = ByteBuffer.allocate(v3.remaining() + 6).put(v3.duplicate()).putShort((short) 77).putInt(-5).flip();
        v7.putShort(0, (short) 7);
        assertEquals(7, ConsumerProtocol.version(v7));
        Subscription ours = ConsumerProtocol.decodeSubscription(v7);
        ConsumerPartitionAssignor.Subscription theirs = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                .deserializeSubscription(v7.duplicate());
        assertEquals(List.of("a", "b"), ours.topics());
        assertEquals(theirs.topics(), ours.topics());
        assertEquals(List.of(new TopicPartition("a", 3)), ours.ownedPartitions());
        assertEquals(Optional.of(9), ours.generationId());
        assertEquals(theirs.rackId(), ours.rackId());

        Assignment a = new Assignment(List.of(new TopicPartition("x", 1)), null);
        ByteBuffer assignment = ConsumerProtocol.encodeAssignment(a, (short) 3);
        ByteBuffer newer = ByteBuffer.allocate(assignment.remaining() + 3).put(assignment).put(new byte[] {9, 9, 9}).flip();
        newer.putShort(0, (short) 12);
        assertEquals(a, ConsumerProtocol.decodeAssignment(newer));
        // Writing above the highest version writes the highest.
        assertEquals(3, ConsumerProtocol.version(ConsumerProtocol.encodeSubscription(s, (short) 12)));
        assertThrows(IllegalArgumentException.class, () -> ConsumerProtocol.encodeAssignment(a, (short) -1));
    }

    @Test
    void aNullTopicListIsNoTopicsAndAnEmptyUserDataStaysEmpty() {
        Subscription s = new Subscription(List.of(), ByteBuffer.allocate(0), List.of(), Optional.empty(), Optional.empty());
        Subscription back = ConsumerProtocol.decodeSubscription(ConsumerProtocol.encodeSubscription(s));
        assertEquals(List.of(), back.topics());
        assertEquals(0, back.userData().remaining());
        assertNull(ConsumerProtocol.decodeAssignment(ConsumerProtocol.encodeAssignment(new Assignment(List.of())))
                .userData());
    }

    /** Every proper prefix of a valid message is refused, with our type, as Kafka refuses it. */
    @Test
    void everyTruncationIsATypedErrorAsInKafka() {
        Random random = new Random(5);
        for (int i = 0; i < 60; i++) {
            short version = (short) random.nextInt(4);
            ByteBuffer sub = ConsumerProtocol.encodeSubscription(randomSubscription(random), version);
            ByteBuffer asg = ConsumerProtocol.encodeAssignment(new Assignment(randomPartitions(random),
                    randomBytes(random)), version);
            for (int cut = 0; cut < sub.remaining(); cut++) {
                ByteBuffer prefix = sub.duplicate().limit(cut);
                assertThrows(ConsumerProtocolException.class, () -> ConsumerProtocol.decodeSubscription(prefix));
                assertThrows(SchemaException.class, () -> org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                        .deserializeSubscription(prefix.duplicate()));
            }
            for (int cut = 0; cut < asg.remaining(); cut++) {
                ByteBuffer prefix = asg.duplicate().limit(cut);
                assertThrows(ConsumerProtocolException.class, () -> ConsumerProtocol.decodeAssignment(prefix));
                assertThrows(SchemaException.class, () -> org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                        .deserializeAssignment(prefix.duplicate()));
            }
        }
    }

    /**
     * Random byte flips: either both readers accept and agree, or ours refuses with its type (Kafka
     * accepting only where it reads a negative partition number, which Fjord's TopicPartition forbids).
     */
    @Test
    void corruptedBytesAreReadAsKafkaReadsThemOrRefusedWithATypedError() {
        Random random = new Random(6);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            ByteBuffer valid = ConsumerProtocol.encodeSubscription(randomSubscription(random), (short) random.nextInt(4));
            byte[] bytes = new byte[valid.remaining()];
            valid.get(bytes);
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            ConsumerPartitionAssignor.Subscription theirs;
            try {
                theirs = org.apache.kafka.clients.consumer.internals.ConsumerProtocol
                        .deserializeSubscription(ByteBuffer.wrap(bytes));
            } catch (RuntimeException e) {
                theirs = null;
            }
            Subscription ours;
            try {
                ours = ConsumerProtocol.decodeSubscription(ByteBuffer.wrap(bytes));
            } catch (ConsumerProtocolException e) {
                refused++;
                if (theirs != null) {
                    assertTrue(theirs.ownedPartitions().stream().anyMatch(tp -> tp.partition() < 0),
                            "Kafka reads what we refused: " + theirs + " / " + e.getMessage());
                }
                continue;
            }
            if (theirs == null) {
                fail("we read what Kafka refuses: " + ours);
            }
            assertEquals(theirs.topics(), ours.topics());
            assertEquals(theirs.userData(), ours.userData());
            assertEquals(theirs.ownedPartitions().stream().map(ConsumerProtocolTest::fjord).toList(), ours.ownedPartitions());
            assertEquals(theirs.generationId(), ours.generationId());
            assertEquals(theirs.rackId(), ours.rackId());
        }
        assertTrue(refused > 300, "the flips should break many messages: " + refused);
    }

    @Test
    void hostileLengthsAreTypedErrorsWithoutAllocatingWhatTheyClaim() {
        // version 0, topics count 2^31-1, then nothing.
        assertMalformed(ByteBuffer.allocate(6).putShort((short) 0).putInt(Integer.MAX_VALUE).flip(), "ARRAY of 2147483647");
        assertMalformed(ByteBuffer.allocate(6).putShort((short) 0).putInt(-1).flip(), "ARRAY length of -1");
        // one topic whose name claims 30000 bytes
        assertMalformed(ByteBuffer.allocate(10).putShort((short) 0).putInt(1).putShort((short) 30000).flip(), "30000");
        assertMalformed(ByteBuffer.allocate(10).putShort((short) 0).putInt(1).putShort((short) -2).flip(), "negative-length");
        // no topics, user data of 2^31-1 bytes
        assertMalformed(ByteBuffer.allocate(10).putShort((short) 0).putInt(0).putInt(Integer.MAX_VALUE).flip(), "BYTES");
        // A negative length of a nullable field is null, as Kafka reads it.
        assertNull(ConsumerProtocol.decodeSubscription(
                ByteBuffer.allocate(10).putShort((short) 0).putInt(0).putInt(-7).flip()).userData());
        assertMalformed(ByteBuffer.allocate(2).putShort((short) -1).flip(), "version -1");
        assertMalformed(ByteBuffer.allocate(1), "truncated");
        // an owned partition numbered -1
        ByteBuffer negative = ByteBuffer.allocate(25).putShort((short) 1).putInt(0).putInt(-1)
                .putInt(1).putShort((short) 1).put((byte) 'a').putInt(1).putInt(-1).flip();
        assertMalformed(negative, "partition -1");
        // an assignment claiming 10^9 topics
        ConsumerProtocolException e = assertThrows(ConsumerProtocolException.class, () -> ConsumerProtocol.decodeAssignment(
                ByteBuffer.allocate(6).putShort((short) 0).putInt(1_000_000_000).flip()));
        assertTrue(e.getMessage().contains("1000000000"), e.getMessage());
    }

    private static void assertMalformed(ByteBuffer bytes, String detail) {
        ConsumerProtocolException e = assertThrows(ConsumerProtocolException.class,
                () -> ConsumerProtocol.decodeSubscription(bytes));
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }
}
