package io.fjord.broker;

import io.fjord.api.ConfigException;
import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnsupportedCompressionTypeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's {@code compression.type} on a Fjord broker without plugins: Kafka's producer sends in
 * each codec to topics of each compression type, Kafka's consumer reads everything back, and
 * Kafka's {@code FileRecords} finds the topic's codec in the stored batches (the producer's for
 * {@code producer}). Snappy is not loaded here: topics that need it are refused, and snappy
 * batches that would have to be rewritten are answered UNSUPPORTED_COMPRESSION_TYPE.
 */
class BrokerCompressionTest {

    private static final List<String> TOPIC_TYPES = List.of("producer", "uncompressed", "gzip", "lz4", "zstd");

    @TempDir
    static Path dir;

    private static BrokerFixture fixture;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        // Broker-level levels apply to topics without their own.
        fixture = BrokerFixture.start(dir, Map.of("compression.zstd.level", "7", "compression.gzip.level", "1"));
        admin = fixture.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        fixture.close();
    }

    private static void createTopic(String name, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get();
    }

    @ParameterizedTest(name = "producer codec {0}")
    @ValueSource(strings = {"none", "gzip", "lz4", "zstd"})
    void everyTopicStoresItsCodecAndTheConsumerReadsEveryRecord(String producerCodec) throws Exception {
        Map<String, List<ProducerRecord<byte[], byte[]>>> sent = new HashMap<>();
        for (String type : TOPIC_TYPES) {
            String topic = type + "-from-" + producerCodec;
            Map<String, String> configs = new HashMap<>(Map.of("compression.type", type));
            if (type.equals("lz4")) {
                configs.put("compression.lz4.level", "12");
            }
            createTopic(topic, configs);
            sent.put(topic, StoredBatches.records(topic, topic, 200));
        }
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, producerCodec, ProducerConfig.BATCH_SIZE_CONFIG, 8192))) {
            for (List<ProducerRecord<byte[], byte[]>> records : sent.values()) {
                StoredBatches.sendAll(producer, records);
            }
        }
        for (String type : TOPIC_TYPES) {
            String topic = type + "-from-" + producerCodec;
            assertEquals(StoredBatches.valuesOf(sent.get(topic)), StoredBatches.readValues(fixture, topic, 200), topic);
            List<String> codecs = StoredBatches.codecsOf(fixture.dataDir(), topic);
            String expected = type.equals("producer") ? producerCodec : type.equals("uncompressed") ? "none" : type;
            assertFalse(codecs.isEmpty());
            assertEquals(Collections.nCopies(codecs.size(), expected), codecs, topic);
        }
    }

    @Test
    void aTopicNeedingACodecThatIsNotLoadedIsRefusedNamingThePlugin() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> createTopic("wants-snappy", Map.of("compression.type", "snappy")));
        assertInstanceOf(InvalidConfigurationException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("snappy plugin"), e.getCause().getMessage());
        assertFalse(admin.listTopics().names().get().contains("wants-snappy"));

        createTopic("becomes-snappy", Map.of());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "becomes-snappy");
        ExecutionException altered = assertThrows(ExecutionException.class, () -> admin.incrementalAlterConfigs(Map.of(
                resource, List.of(new AlterConfigOp(new ConfigEntry("compression.type", "snappy"),
                        AlterConfigOp.OpType.SET)))).all().get());
        assertInstanceOf(InvalidConfigurationException.class, altered.getCause());
        assertTrue(altered.getCause().getMessage().contains("snappy plugin"), altered.getCause().getMessage());
        assertEquals("producer", admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get("compression.type").value());

        // A codec that is loaded is accepted by the same call.
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("compression.type", "zstd"), AlterConfigOp.OpType.SET)))).all().get();
        assertEquals("zstd", admin.describeConfigs(List.of(resource)).all().get().get(resource)
                .get("compression.type").value());
    }

    @Test
    void snappyBatchesThatMustBeRewrittenWithoutTheCodecAreAnUnsupportedCompressionType() throws Exception {
        createTopic("zstd-only", Map.of("compression.type", "zstd"));
        createTopic("keeps-snappy", Map.of());
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "snappy", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.RETRIES_CONFIG, 0))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> StoredBatches.sendAll(producer, StoredBatches.records("zstd-only", "x", 5)));
            assertInstanceOf(UnsupportedCompressionTypeException.class, e.getCause());
            // A topic that keeps the producer's codec stores snappy untouched: no codec is needed.
            StoredBatches.sendAll(producer, StoredBatches.records("keeps-snappy", "y", 5));
        }
        assertEquals(Set.of("snappy"), Set.copyOf(StoredBatches.codecsOf(fixture.dataDir(), "keeps-snappy")));
        assertEquals(List.of(), StoredBatches.codecsOf(fixture.dataDir(), "zstd-only"), "nothing was stored");
    }

    @Test
    void aBrokerWhoseOwnCompressionTypeNeedsAMissingCodecDoesNotStart() throws Exception {
        Path other = dir.resolve("other");
        Broker broker = new Broker(BrokerConfig.of(Map.of("node.id", "1", "listeners", "PLAINTEXT://127.0.0.1:0",
                "log.dirs", other.toString(), "compression.type", "snappy")));
        try {
            ConfigException e = assertThrows(ConfigException.class, broker::start);
            assertTrue(e.getMessage().contains("snappy plugin"), e.getMessage());
        } finally {
            broker.shutdown();
        }
        Broker badLevel = new Broker(BrokerConfig.of(Map.of("node.id", "1", "listeners", "PLAINTEXT://127.0.0.1:0",
                "log.dirs", other.toString(), "compression.zstd.level", "99")));
        try {
            ConfigException e = assertThrows(ConfigException.class, badLevel::start);
            assertTrue(e.getMessage().contains("compression.zstd.level"), e.getMessage());
        } finally {
            badLevel.shutdown();
        }
    }
}
