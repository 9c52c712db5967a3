package io.fjord.clustertests;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.fjord.clustertests.FjordCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kafka's consumer and librdkafka's kcat read a partition straight through a change of leader:
 * records acknowledged by the old leader and the new one, every offset once, no gap. Needs
 * replication (the new leader must hold the old leader's records), hence the tag.
 */
@Tag("replication")
class LeaderChangeReadTest {

    private static final String TOPIC = "handover";
    private static final int BEFORE = 100;
    private static final int AFTER = 100;

    @Test
    void kafkasConsumerAndKcatReadThroughALeaderChangeWithoutAGap() throws Exception {
        try (FjordCluster cluster = FjordCluster.start(3, Map.of())) {
            try (Admin admin = cluster.admin()) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Nemesis nemesis = new Nemesis(cluster, TOPIC);
            nemesis.awaitFullIsr();
            List<String> acked = new ArrayList<>();
            List<String> read = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = consumer(cluster.bootstrap())) {
                TopicPartition tp = new TopicPartition(TOPIC, 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                produce(cluster, "before-", BEFORE, acked);
                readUntil(consumer, read, BEFORE);
                int victim = nemesis.leader(0);
                cluster.kill(victim);
                nemesis.awaitLeaderOtherThan(0, victim);
                produce(cluster, "after-", AFTER, acked);
                readUntil(consumer, read, BEFORE + AFTER);
            }
            assertEquals(acked, read, "Kafka's consumer");
            if (Files.isExecutable(Path.of("/usr/bin/kcat"))) {
                assertEquals(acked, kcat(cluster.bootstrap()), "kcat");
            }
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat is not installed");
        }
    }

    /** Produces {@code count} values with acks=all, keeping each as "offset value" in acknowledgement order. */
    private static void produce(FjordCluster cluster, String prefix, int count, List<String> acked) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Workload.producerConfig(cluster.bootstrap()))) {
            for (int i = 0; i < count; i++) {
                String value = prefix + i;
                long offset = producer.send(new ProducerRecord<>(TOPIC, 0, null, value)).get(60, TimeUnit.SECONDS).offset();
                acked.add(offset + " " + value);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put("metadata.max.age.ms", "2000");
        return new KafkaConsumer<>(p);
    }

    private static void readUntil(KafkaConsumer<String, String> consumer, List<String> read, int count)
            throws InterruptedException {
        await(count + " records read", Nemesis.HEAL, () -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                read.add(r.offset() + " " + r.value());
            }
            return read.size() >= count;
        });
    }

    /** The whole partition through kcat, one "offset value" line per record. */
    private static List<String> kcat(String bootstrap) throws Exception {
        Process p = new ProcessBuilder("kcat", "-C", "-b", bootstrap, "-t", TOPIC, "-p", "0", "-o", "beginning", "-e",
                "-q", "-f", "%o %s\\n").redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kcat did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
