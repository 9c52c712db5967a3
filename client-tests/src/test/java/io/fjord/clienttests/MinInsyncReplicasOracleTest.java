package io.fjord.clienttests;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.kafkatesting.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A topic whose replication factor is below its {@code min.insync.replicas}: Fjord answers an
 * acks=all produce as Apache Kafka does, checked against a real Kafka broker.
 */
class MinInsyncReplicasOracleTest {

    @TempDir
    Path dir;

    /** The outcome of an acks=all produce to a 1-replica topic with min.insync.replicas=2: "ok" or the error's class. */
    private static String acksAllOutcome(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("strict", 1, (short) 1)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("strict", 0, null, new byte[10])).get(30, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            return e.getCause().getClass().getSimpleName();
        }
    }

    @Test
    void fjordAnswersAsKafkaDoes() throws Exception {
        String kafka;
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), Map.of())) {
            kafka = acksAllOutcome(broker.bootstrap());
        }
        String fjord;
        try (BrokerFixture broker = BrokerFixture.start(dir.resolve("fjord"), Map.of())) {
            fjord = acksAllOutcome("127.0.0.1:" + broker.broker().boundPort());
        }
        assertEquals(kafka, fjord, "Kafka answered " + kafka);
    }
}
