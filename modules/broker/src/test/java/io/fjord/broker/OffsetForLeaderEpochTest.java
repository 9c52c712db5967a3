package io.fjord.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.common.ThreadScheduler;
import io.fjord.common.Time;
import io.fjord.common.errors.Errors;
import io.fjord.log.LogConfig;
import io.fjord.log.PartitionLog;
import io.fjord.protocol.message.OffsetForLeaderEpochRequest;
import io.fjord.protocol.message.OffsetForLeaderEpochResponse;
import io.fjord.replication.Partition;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OffsetForLeaderEpoch: through Kafka's own request classes on a socket in every version (the end
 * of each epoch from the leader-epoch cache, before and after a restart, and each error), through
 * the handler over a real log whose leader epoch was bumped (fencing, epochs ended by the next
 * one), and through Kafka's consumer, which validates a position it seeks to with a leader epoch
 * (KIP-320) and detects a position past the end of its epoch.
 */
class OffsetForLeaderEpochTest {

    @TempDir
    Path dir;

    private BrokerFixture fixture;

    @AfterEach
    void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void startWithRecords(int records) throws Exception {
        fixture = BrokerFixture.start(dir);
        try (Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic("e", 2, (short) 1))).all().get();
        }
        produce(records);
    }

    private void produce(int records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("e", 0, null, ("r" + i).getBytes())).get();
            }
        }
    }

    private static OffsetForLeaderEpochRequestData.OffsetForLeaderPartition partition(int partition, int currentEpoch,
            int epoch) {
        return new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(partition)
                .setCurrentLeaderEpoch(currentEpoch).setLeaderEpoch(epoch);
    }

    /** The answers for the partitions of topic {@code topic}, asked at {@code version}, in request order. */
    private List<OffsetForLeaderEpochResponseData.EpochEndOffset> ask(short version, int replicaId, String topic,
            OffsetForLeaderEpochRequestData.OffsetForLeaderPartition... partitions) throws Exception {
        OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData().setReplicaId(replicaId);
        request.topics().add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic)
                .setPartitions(List.of(partitions)));
        try (KafkaWire wire = new KafkaWire(fixture.broker().boundPort())) {
            OffsetForLeaderEpochResponseData response = ((OffsetsForLeaderEpochResponse) wire.call(
                    ApiKeys.OFFSET_FOR_LEADER_EPOCH, version, request)).data();
            assertEquals(1, response.topics().size());
            assertEquals(topic, response.topics().iterator().next().topic());
            return new ArrayList<>(response.topics().iterator().next().partitions());
        }
    }

    private static void assertAnswer(Errors error, int epoch, long endOffset,
            OffsetForLeaderEpochResponseData.EpochEndOffset answer, String what) {
        assertEquals(error.code(), answer.errorCode(), what + ": " + answer);
        assertEquals(epoch, answer.leaderEpoch(), what + ": " + answer);
        assertEquals(endOffset, answer.endOffset(), what + ": " + answer);
    }

    @Test
    void theEndOfEachEpochInEveryVersionAndForEveryKindOfCaller() throws Exception {
        startWithRecords(5);
        for (short version = 2; version <= 4; version++) {
            // A consumer (-1) and a follower (node 2) are answered alike: this broker leads every partition.
            for (int replicaId : new int[] {-1, 2}) {
                List<OffsetForLeaderEpochResponseData.EpochEndOffset> answers = ask(version, replicaId, "e",
                        partition(0, -1, 0), partition(0, 0, 0), partition(1, 0, 0), partition(0, -1, 3));
                String v = "v" + version + " replica " + replicaId;
                assertAnswer(Errors.NONE, 0, 5, answers.get(0), v + ": the current epoch ends at the log end");
                assertAnswer(Errors.NONE, 0, 5, answers.get(1), v + ": with the current epoch checked");
                assertAnswer(Errors.NONE, 0, 0, answers.get(2), v + ": an empty partition");
                assertAnswer(Errors.NONE, -1, -1, answers.get(3), v + ": an epoch the log does not know");
                assertEquals(List.of(0, 0, 1, 0), answers.stream().map(a -> a.partition()).toList());
            }
        }
    }

    @Test
    void unknownPartitionsAndNewerOrOlderCurrentEpochsAreRefusedPerPartition() throws Exception {
        startWithRecords(1);
        // The partitions' leader epoch is 0 (a single node never bumps it): -2 is the only older epoch
        // a caller can name, since -1 means "unchecked"; Kafka fences it as it fences any older one.
        List<OffsetForLeaderEpochResponseData.EpochEndOffset> answers = ask((short) 4, -1, "e",
                partition(0, 1, 0), partition(2, -1, 0), partition(1, 0, 0), partition(0, -2, 0));
        assertAnswer(Errors.UNKNOWN_LEADER_EPOCH, -1, -1, answers.get(0), "a caller ahead of the broker");
        assertAnswer(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, answers.get(1), "a partition the topic lacks");
        assertAnswer(Errors.NONE, 0, 0, answers.get(2), "the other partitions are answered");
        assertAnswer(Errors.FENCED_LEADER_EPOCH, -1, -1, answers.get(3), "a caller behind the broker");
        assertAnswer(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, ask((short) 3, -1, "nope", partition(0, -1, 0)).get(0),
                "a topic that does not exist");
    }

    @Test
    void theEpochsAreKnownAfterARestart() throws Exception {
        startWithRecords(3);
        fixture.close();
        fixture = BrokerFixture.start(dir);
        assertAnswer(Errors.NONE, 0, 3, ask((short) 4, -1, "e", partition(0, 0, 0)).get(0), "after a restart");
        produce(2);
        assertAnswer(Errors.NONE, 0, 5, ask((short) 4, -1, "e", partition(0, 0, 0)).get(0), "and after more appends");
    }

    private static ByteBuffer batch(String value) {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value.getBytes())).buffer();
    }

    private static OffsetForLeaderEpochRequest.OffsetForLeaderPartition asked(int currentEpoch, int epoch) {
        return new OffsetForLeaderEpochRequest.OffsetForLeaderPartition().setPartition(0)
                .setCurrentLeaderEpoch(currentEpoch).setLeaderEpoch(epoch);
    }

    private static void assertAnswer(Errors error, int epoch, long endOffset,
            OffsetForLeaderEpochResponse.EpochEndOffset answer, String what) {
        assertEquals(error.code(), answer.errorCode(), what + ": " + answer);
        assertEquals(epoch, answer.leaderEpoch(), what + ": " + answer);
        assertEquals(endOffset, answer.endOffset(), what + ": " + answer);
    }

    @Test
    void aBumpedLeaderEpochFencesOlderCallersAndEachEpochEndsWhereTheNextStarted() throws Exception {
        io.fjord.api.TopicPartition tp = new io.fjord.api.TopicPartition("bumped", 0);
        Path logDir = dir.resolve("bumped-0");
        try (ThreadScheduler scheduler = new ThreadScheduler(1, "epoch-test-")) {
            try (PartitionLog log = PartitionLog.open(logDir, tp, LogConfig.defaults(), 0, 0, true, Time.SYSTEM, scheduler)) {
                // Leaders of epochs 0, 1 and 3 appended in turn (2 and 3 records, then 1).
                int[][] appends = {{0, 2}, {1, 3}, {3, 1}};
                for (int[] leader : appends) {
                    Partition partition = new Partition(tp, log, 1, leader[0], 1);
                    for (int i = 0; i < leader[1]; i++) {
                        partition.appendRecordsToLeader(batch("epoch " + leader[0]), (short) 1);
                    }
                }
                Partition leader = new Partition(tp, log, 1, 3, 1);
                assertAnswer(Errors.FENCED_LEADER_EPOCH, -1, -1, OffsetForLeaderEpochHandler.lookUp(leader, asked(2, 3)),
                        "a caller behind the leader");
                assertAnswer(Errors.UNKNOWN_LEADER_EPOCH, -1, -1, OffsetForLeaderEpochHandler.lookUp(leader, asked(4, 3)),
                        "a caller ahead of the leader");
                assertAnswer(Errors.NONE, 0, 2, OffsetForLeaderEpochHandler.lookUp(leader, asked(3, 0)), "epoch 0");
                assertAnswer(Errors.NONE, 1, 5, OffsetForLeaderEpochHandler.lookUp(leader, asked(3, 2)),
                        "epoch 2 had no leader that appended: epoch 1's end");
                assertAnswer(Errors.NONE, 3, 6, OffsetForLeaderEpochHandler.lookUp(leader, asked(-1, 3)), "the current epoch");
            }
            // A restart, and a new leader in epoch 5 that has not appended yet.
            try (PartitionLog log = PartitionLog.open(logDir, tp, LogConfig.defaults(), 6, 0, true, Time.SYSTEM, scheduler)) {
                Partition leader = new Partition(tp, log, 1, 5, 1);
                assertAnswer(Errors.FENCED_LEADER_EPOCH, -1, -1, OffsetForLeaderEpochHandler.lookUp(leader, asked(3, 3)),
                        "the previous leader's callers are fenced");
                assertAnswer(Errors.NONE, 5, 6, OffsetForLeaderEpochHandler.lookUp(leader, asked(5, 5)),
                        "the new epoch ends at the log end before its first append");
                assertAnswer(Errors.NONE, 3, 6, OffsetForLeaderEpochHandler.lookUp(leader, asked(5, 4)),
                        "an epoch between: the last recorded one, to the log end");
                assertAnswer(Errors.NONE, 1, 5, OffsetForLeaderEpochHandler.lookUp(leader, asked(5, 1)),
                        "the checkpoint answers after the restart");
                assertAnswer(Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, OffsetForLeaderEpochHandler.lookUp(null, asked(5, 1)),
                        "a partition the metadata lacks");
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer(String reset) {
        return fixture.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset));
    }

    private static List<String> pollValues(KafkaConsumer<byte[], byte[]> consumer, int count) throws Exception {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < count) {
            assertTrue(System.nanoTime() < deadline, "timed out with " + values);
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                values.add(record.offset() + ":" + new String(record.value()));
            }
        }
        return values;
    }

    private long handled() {
        return fixture.broker().requestMetrics().api(io.fjord.protocol.message.ApiKeys.OFFSET_FOR_LEADER_EPOCH)
                .handleTime().count();
    }

    @Test
    void kafkasConsumerValidatesAPositionSoughtWithAnEpochAndReadsOn() throws Exception {
        startWithRecords(5);
        TopicPartition tp = new TopicPartition("e", 0);
        long before = handled();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("none")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, new OffsetAndMetadata(3, Optional.of(0), ""));
            assertEquals(List.of("3:r3", "4:r4"), pollValues(consumer, 2));
            assertTrue(handled() > before, "the consumer asked where epoch 0 ended");
            produce(1);
            assertEquals(List.of("5:r0"), pollValues(consumer, 1));
        }
    }

    @Test
    void kafkasConsumerPastTheEndOfItsEpochDetectsTruncation() throws Exception {
        startWithRecords(5);
        TopicPartition tp = new TopicPartition("e", 0);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("none")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, new OffsetAndMetadata(8, Optional.of(0), ""));
            LogTruncationException truncated = assertThrows(LogTruncationException.class, () -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(100));
                }
            });
            assertEquals(new OffsetAndMetadata(5, Optional.of(0), ""), truncated.divergentOffsets().get(tp));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer("earliest")) {
            consumer.assign(List.of(tp));
            // Knowing the leader and its epoch first, the consumer validates the sought position at once.
            assertEquals(0, consumer.position(tp, Duration.ofSeconds(30)));
            consumer.seek(tp, new OffsetAndMetadata(8, Optional.of(0), ""));
            assertEquals(5, consumer.position(tp, Duration.ofSeconds(30)), "with a reset policy: where the epoch ended");
            produce(1);
            assertEquals(List.of("5:r0"), pollValues(consumer, 1));
        }
    }
}
