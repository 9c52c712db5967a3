package io.fjord.clustertests;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.client.consumer.FjordConsumer;
import io.fjord.client.consumer.LogTruncationException;
import io.fjord.client.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.fjord.clustertests.FjordCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fjord's consumer after an unclean election took away records it had read (KIP-320): it asks
 * the new leader where its position's epoch ends, moves back to that point and reads what the new
 * leader wrote there, or, under {@code auto.offset.reset=none}, reports the truncation with the
 * offset to go on from. Without the check it would fetch past the new log end and jump by its
 * reset policy, missing the new leader's records.
 */
@Tag("replication")
class UncleanTruncationReadTest {

    private static final String TOPIC = "truncated";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @Test
    void aConsumerMovesBackToTheDivergencePointOrReportsIt() throws Exception {
        try (FjordCluster cluster = FjordCluster.start(2, Map.of("unclean.leader.election.enable", "true"))) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(1, 2))).configs(Map.of(
                        "unclean.leader.election.enable", "true", "min.insync.replicas", "1"))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Nemesis nemesis = new Nemesis(cluster, TOPIC);
            nemesis.awaitFullIsr();
            produce(cluster, "a-", 10);
            try (FjordConsumer<String, String> resetting = consumer(cluster, "latest");
                 FjordConsumer<String, String> strict = consumer(cluster, "none")) {
                List<String> readByResetting = new ArrayList<>();
                List<String> readByStrict = new ArrayList<>();
                readUntil(resetting, readByResetting, 10);
                readUntil(strict, readByStrict, 10);

                // Broker 2 falls behind: broker 1 alone takes offsets 10 to 19, and both consumers read them.
                cluster.kill(2);
                nemesis.awaitIsrOf(1);
                produce(cluster, "b-", 10);
                readUntil(resetting, readByResetting, 20);
                readUntil(strict, readByStrict, 20);

                // Broker 1 dies; broker 2 leads uncleanly from offset 10 and writes other records there.
                cluster.kill(1);
                cluster.restart(2);
                await("broker 2 to lead " + TP, Nemesis.HEAL, () -> nemesis.leader(0) == 2);
                produce(cluster, "c-", 5);

                readUntil(resetting, readByResetting, 25);
                assertEquals(IntStream.range(0, 5).mapToObj(i -> (10 + i) + " c-" + i).toList(),
                        readByResetting.subList(20, 25), "the records the new leader wrote from the divergence point");

                LogTruncationException[] reported = new LogTruncationException[1];
                await("the strict consumer to report the truncation", Nemesis.HEAL, () -> {
                    try {
                        strict.poll(Duration.ofMillis(200)).forEach(r -> readByStrict.add(r.offset() + " " + r.value()));
                        return false;
                    } catch (LogTruncationException e) {
                        reported[0] = e;
                        return true;
                    } catch (NoOffsetForPartitionException e) {
                        throw new AssertionError("the position was reset as out of range, not found truncated", e);
                    }
                });
                OffsetAndMetadata divergent = reported[0].divergentOffsets().get(TP);
                assertEquals(10, divergent.offset(), reported[0].getMessage());
                assertEquals(20, readByStrict.size(), "nothing read past the truncation before it was reported");
                strict.seek(TP, divergent);
                readUntil(strict, readByStrict, 25);
                assertEquals(readByResetting.subList(20, 25), readByStrict.subList(20, 25));
            }
        }
    }

    /** Writes {@code count} values with acks=1 and no idempotence (the leader alone may be in sync). */
    private static void produce(FjordCluster cluster, String prefix, int count) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, prefix + i)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static FjordConsumer<String, String> consumer(FjordCluster cluster, String reset) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", cluster.bootstrap());
        config.put("key.deserializer", "string");
        config.put("value.deserializer", "string");
        config.put("auto.offset.reset", reset);
        config.put("metadata.max.age.ms", "2000");
        config.put("reconnect.backoff.max.ms", "500");
        FjordConsumer<String, String> consumer = new FjordConsumer<>(config);
        consumer.assign(List.of(TP));
        consumer.seekToBeginning(List.of(TP));
        return consumer;
    }

    private static void readUntil(FjordConsumer<String, String> consumer, List<String> read, int count)
            throws InterruptedException {
        await(count + " records read", Nemesis.HEAL, () -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                read.add(r.offset() + " " + r.value());
            }
            return read.size() >= count;
        });
    }
}
