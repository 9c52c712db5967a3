package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.broker.testing.BrokerFixture;
import io.fjord.log.LogCleaner;
import io.fjord.log.PartitionLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code __consumer_offsets} is a compacted topic like any other: 100,000 commits of one group to
 * ten partitions shrink to about one record per (group, partition) once cleaned, and a restart
 * replays only those and finds the group's offsets.
 */
class OffsetsTopicCompactionTest {

    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final int PARTITIONS = 10;
    private static final int COMMITS = 100_000;
    private static final int SEGMENT_BYTES = 1024 * 1024;

    @TempDir
    Path dataDir;

    private static Map<String, String> brokerSettings() {
        return Map.of("offsets.topic.num.partitions", "1",
                "offsets.topic.segment.bytes", Integer.toString(SEGMENT_BYTES),
                "log.cleaner.backoff.ms", "50",
                "log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    }

    @Test
    void theOffsetsTopicStaysBoundedByItsLiveKeysAndARestartFindsTheOffsets() throws Exception {
        List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new org.apache.kafka.common.TopicPartition(TOPIC, p));
        }
        TopicPartition offsetsPartition = new TopicPartition("__consumer_offsets", 0);
        long written;
        try (BrokerFixture fixture = BrokerFixture.start(dataDir, brokerSettings()); Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
            try (KafkaConsumer<byte[], byte[]> consumer = fixture.consumer(Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic"))) {
                consumer.assign(partitions);
                for (int commit = 1; commit <= COMMITS; commit++) {
                    Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (int p = 0; p < PARTITIONS; p++) {
                        offsets.put(partitions.get(p), new OffsetAndMetadata(commit * 10L + p));
                    }
                    if (commit == COMMITS) {
                        consumer.commitSync(offsets);
                    } else {
                        consumer.commitAsync(offsets, null);
                    }
                }
            }
            PartitionLog log = fixture.broker().logManager().getLog(offsetsPartition);
            written = log.logEndOffset();
            assertTrue(written >= (long) COMMITS * PARTITIONS, "every commit wrote its records: " + written);
            LogCleaner cleaner = fixture.broker().logManager().cleaner();
            // Cleaned, the log holds ten offsets and the active segment the cleaner never takes.
            waitUntil(() -> "the offsets log to shrink: " + log.size() + " bytes in " + log.numberOfSegments()
                    + " segments, last cleaning " + cleaner.lastStats(offsetsPartition), 120_000,
                    () -> log.size() < SEGMENT_BYTES + 64 * 1024);
            assertTrue(cleaner.lastStats(offsetsPartition).recordsWritten() < 1000);
        }

        try (BrokerFixture restarted = BrokerFixture.start(dataDir, brokerSettings());
             Admin admin = restarted.admin()) {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            assertEquals(PARTITIONS, committed.size());
            for (int p = 0; p < PARTITIONS; p++) {
                assertEquals(COMMITS * 10L + p, committed.get(partitions.get(p)).offset(), "partition " + p);
            }
            PartitionLog log = restarted.broker().logManager().getLog(offsetsPartition);
            assertEquals(written, log.logEndOffset(), "offsets never change");
        }
    }
}
