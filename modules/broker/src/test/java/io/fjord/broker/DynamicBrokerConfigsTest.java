package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import io.fjord.network.SocketServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.AlterConfigsOptions;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic broker settings through Kafka's Admin: describing the broker (with synonyms in Kafka's
 * order) and the cluster-wide default, altering both, the errors Kafka's broker answers, the
 * values applied to topics without overrides at once, and kept across a restart.
 */
class DynamicBrokerConfigsTest {

    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "1");
    private static final ConfigResource DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    @TempDir
    Path dir;

    private static void set(Admin admin, ConfigResource resource, String key, String value) throws Exception {
        change(admin, resource, new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
    }

    private static void change(Admin admin, ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get();
    }

    private static Config describe(Admin admin, ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)
                .includeDocumentation(true)).all().get().get(resource);
    }

    private static List<String> synonyms(ConfigEntry entry) {
        return entry.synonyms().stream().map(s -> s.source() + ":" + s.name() + "=" + s.value()).collect(Collectors.toList());
    }

    private static String refusal(Admin admin, ConfigResource resource, AlterConfigOp op) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> change(admin, resource, op));
        assertInstanceOf(InvalidRequestException.class, e.getCause(), e.getCause().toString());
        return e.getCause().getMessage();
    }

    @Test
    void describesTheLayersWithKafkasSynonymsAndSourcesForTheBrokerAndTheDefault() throws Exception {
        try (BrokerFixture fixture = BrokerFixture.start(dir, Map.of("log.retention.hours", "100"));
             Admin admin = fixture.admin()) {
            admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            set(admin, DEFAULT, "log.retention.ms", "5000");
            set(admin, BROKER, "log.retention.ms", "7000");
            set(admin, DEFAULT, "log.cleaner.threads", "2");

            Config broker = describe(admin, BROKER);
            ConfigEntry retention = broker.get("log.retention.ms");
            assertEquals("7000", retention.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, retention.source());
            assertFalse(retention.isReadOnly());
            assertFalse(retention.isSensitive());
            assertEquals(ConfigEntry.ConfigType.LONG, retention.type());
            assertNotNull(retention.documentation());
            assertEquals(List.of("DYNAMIC_BROKER_CONFIG:log.retention.ms=7000", "DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=5000",
                    "STATIC_BROKER_CONFIG:log.retention.hours=100", "DEFAULT_CONFIG:log.retention.hours=168"), synonyms(retention));
            // The hours form is read-only; the synonyms of higher precedence under other names are dropped.
            ConfigEntry hours = broker.get("log.retention.hours");
            assertTrue(hours.isReadOnly());
            assertEquals(List.of("STATIC_BROKER_CONFIG:log.retention.hours=100", "DEFAULT_CONFIG:log.retention.hours=168"),
                    synonyms(hours));
            ConfigEntry cleaner = broker.get("log.cleaner.threads");
            assertEquals("2", cleaner.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, cleaner.source());
            ConfigEntry partitions = broker.get("num.partitions");
            assertTrue(partitions.isReadOnly());
            assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, partitions.source());

            // The default resource lists what is set at that level only, with that level's synonyms alone.
            Config defaults = describe(admin, DEFAULT);
            assertEquals(Map.of("log.retention.ms", "5000", "log.cleaner.threads", "2"), defaults.entries().stream()
                    .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value)));
            assertEquals(List.of("DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=5000"),
                    synonyms(defaults.get("log.retention.ms")));
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, defaults.get("log.retention.ms").source());

            // A topic without an override takes this broker's setting, and lists every layer.
            ConfigEntry topicRetention = describe(admin, new ConfigResource(ConfigResource.Type.TOPIC, "t")).get("retention.ms");
            assertEquals("7000", topicRetention.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, topicRetention.source());
            assertEquals(List.of("DYNAMIC_BROKER_CONFIG:log.retention.ms=7000", "DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=5000",
                    "STATIC_BROKER_CONFIG:log.retention.hours=100", "DEFAULT_CONFIG:log.retention.hours=168"),
                    synonyms(topicRetention));

            // DELETE falls back a layer.
            change(admin, BROKER, new AlterConfigOp(new ConfigEntry("log.retention.ms", null), AlterConfigOp.OpType.DELETE));
            assertEquals("5000", describe(admin, BROKER).get("log.retention.ms").value());
            assertEquals("5000", describe(admin, new ConfigResource(ConfigResource.Type.TOPIC, "t")).get("retention.ms").value());
        }
    }

    @Test
    void refusesWhatKafkaRefusesWithItsMessages() throws Exception {
        try (BrokerFixture fixture = BrokerFixture.start(dir); Admin admin = fixture.admin()) {
            assertEquals("Cannot update these configs dynamically: Set(num.partitions)", refusal(admin, BROKER,
                    new AlterConfigOp(new ConfigEntry("num.partitions", "3"), AlterConfigOp.OpType.SET)));
            assertEquals("Invalid value abc for configuration log.retention.bytes: Not a number of type LONG",
                    refusal(admin, BROKER, new AlterConfigOp(new ConfigEntry("log.retention.bytes", "abc"), AlterConfigOp.OpType.SET)));
            assertEquals("Invalid value 10 for configuration log.segment.bytes: Value must be at least 1048576",
                    refusal(admin, DEFAULT, new AlterConfigOp(new ConfigEntry("log.segment.bytes", "10"), AlterConfigOp.OpType.SET)));
            assertEquals("Cannot update these configs at default cluster level, broker id must be specified: Set(listeners)",
                    refusal(admin, DEFAULT, new AlterConfigOp(new ConfigEntry("listeners", "PLAINTEXT://127.0.0.1:0"),
                            AlterConfigOp.OpType.SET)));
            assertEquals("Dynamic thread count update validation failed for num.io.threads=9, value should not be greater"
                    + " than double the current value 4", refusal(admin, BROKER,
                    new AlterConfigOp(new ConfigEntry("num.io.threads", "9"), AlterConfigOp.OpType.SET)));
            assertEquals("Config value append is not allowed for config key: log.retention.ms", refusal(admin, BROKER,
                    new AlterConfigOp(new ConfigEntry("log.retention.ms", "5"), AlterConfigOp.OpType.APPEND)));
            assertEquals(Map.of(), dynamic(admin, BROKER), "nothing was stored");

            // validateOnly checks and stores nothing.
            admin.incrementalAlterConfigs(Map.of(BROKER, List.of(new AlterConfigOp(new ConfigEntry("num.io.threads", "8"),
                    AlterConfigOp.OpType.SET))), new AlterConfigsOptions().validateOnly(true)).all().get();
            assertEquals(Map.of(), dynamic(admin, BROKER));

            // APPEND to a list starts from Kafka's default; a name Kafka does not define is kept, and hidden.
            change(admin, DEFAULT, new AlterConfigOp(new ConfigEntry("log.cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND));
            change(admin, BROKER, new AlterConfigOp(new ConfigEntry("custom.reporter.setting", "x"), AlterConfigOp.OpType.SET));
            assertEquals("delete,compact", describe(admin, DEFAULT).get("log.cleanup.policy").value());
            ConfigEntry custom = describe(admin, BROKER).get("custom.reporter.setting");
            assertTrue(custom.isSensitive());
            assertNull(custom.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, custom.source());
        }
    }

    @Test
    void handlerThreadsAndTheConnectionLimitChangeWhileServing() throws Exception {
        try (BrokerFixture fixture = BrokerFixture.start(dir); Admin admin = fixture.admin()) {
            SocketServer server = fixture.broker().socketServer();
            assertEquals(4, server.handlerThreadCount());
            set(admin, BROKER, "num.io.threads", "6");
            assertEquals(6, server.handlerThreadCount());
            set(admin, DEFAULT, "num.io.threads", "3");
            assertEquals(6, server.handlerThreadCount(), "this broker's own setting wins over the default");
            change(admin, BROKER, new AlterConfigOp(new ConfigEntry("num.io.threads", null), AlterConfigOp.OpType.DELETE));
            assertEquals(3, server.handlerThreadCount());

            int open = server.connectionMetrics().open();
            set(admin, DEFAULT, "max.connections", Integer.toString(open));
            try (Socket extra = new Socket("127.0.0.1", fixture.broker().boundPort())) {
                extra.setSoTimeout(10_000);
                assertEquals(-1, extra.getInputStream().read(), "closed by the broker at accept");
            }
            change(admin, DEFAULT, new AlterConfigOp(new ConfigEntry("max.connections", null), AlterConfigOp.OpType.DELETE));
            try (Admin another = fixture.admin()) {
                assertEquals(1, another.describeCluster().nodes().get().size());
            }
        }
    }

    @Test
    void anotherBrokerIsRefusedAsKafkaRefusesIt() throws Exception {
        // Kafka's Admin sends a broker's resource to that broker, so these go on the wire directly.
        try (BrokerFixture fixture = BrokerFixture.start(dir); KafkaWire wire = new KafkaWire(fixture.broker().boundPort())) {
            DescribeConfigsRequestData describe = new DescribeConfigsRequestData();
            for (String name : List.of("2", "one", "1")) {
                describe.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName(name)
                        .setConfigurationKeys(List.of("num.io.threads")));
            }
            List<DescribeConfigsResponseData.DescribeConfigsResult> described =
                    ((DescribeConfigsResponse) wire.call(ApiKeys.DESCRIBE_CONFIGS, (short) 4, describe)).data().results();
            assertEquals(Errors.INVALID_REQUEST.code(), described.get(0).errorCode());
            assertEquals("Unexpected broker id, expected 1 or empty string, but received 2", described.get(0).errorMessage());
            assertEquals("Broker id must be an integer, but it is: one", described.get(1).errorMessage());
            assertEquals(Errors.NONE.code(), described.get(2).errorCode());
            assertEquals(List.of("num.io.threads"), described.get(2).configs().stream()
                    .map(DescribeConfigsResponseData.DescribeConfigsResourceResult::name).toList());

            IncrementalAlterConfigsRequestData.AlterConfigsResource other = new IncrementalAlterConfigsRequestData
                    .AlterConfigsResource().setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("2");
            other.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                    .setName("log.retention.ms").setValue("5").setConfigOperation(AlterConfigOp.OpType.SET.id()));
            IncrementalAlterConfigsRequestData alter = new IncrementalAlterConfigsRequestData();
            alter.resources().add(other);
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse altered = ((IncrementalAlterConfigsResponse)
                    wire.call(ApiKeys.INCREMENTAL_ALTER_CONFIGS, (short) 1, alter)).data().responses().get(0);
            assertEquals(Errors.INVALID_REQUEST.code(), altered.errorCode());
            assertEquals("Unexpected broker id, expected 1, but received 2", altered.errorMessage());
        }
    }

    private static Map<String, String> dynamic(Admin admin, ConfigResource resource) throws Exception {
        return describe(admin, resource).entries().stream()
                .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG)
                .collect(Collectors.toMap(ConfigEntry::name, e -> String.valueOf(e.value())));
    }

    @Test
    void settingsAreKeptAcrossARestartAndApplyFromTheStart() throws Exception {
        try (BrokerFixture first = BrokerFixture.start(dir); Admin admin = first.admin()) {
            admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get();
            set(admin, DEFAULT, "log.segment.bytes", "2097152");
            set(admin, BROKER, "message.max.bytes", "4000");
            set(admin, BROKER, "num.io.threads", "6");
        }
        try (BrokerFixture second = BrokerFixture.start(dir); Admin admin = second.admin()) {
            Config broker = describe(admin, BROKER);
            assertEquals("2097152", broker.get("log.segment.bytes").value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, broker.get("log.segment.bytes").source());
            assertEquals("4000", broker.get("message.max.bytes").value());
            assertEquals("6", broker.get("num.io.threads").value());
            assertEquals(List.of("DYNAMIC_BROKER_CONFIG:num.io.threads=6", "STATIC_BROKER_CONFIG:num.io.threads=4",
                    "DEFAULT_CONFIG:num.io.threads=8"), synonyms(broker.get("num.io.threads")));
            Config topic = describe(admin, new ConfigResource(ConfigResource.Type.TOPIC, "t"));
            assertEquals("2097152", topic.get("segment.bytes").value());
            assertEquals("4000", topic.get("max.message.bytes").value());
            try (KafkaProducer<byte[], byte[]> producer = second.producer(Map.of())) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> producer.send(new ProducerRecord<>("t", new byte[5000])).get());
                assertInstanceOf(RecordTooLargeException.class, e.getCause());
            }
        }
    }

    @Test
    void aListenerSetForThisBrokerIsServedAndAdvertisedFromTheNextStart() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (BrokerFixture first = BrokerFixture.start(dir); Admin admin = first.admin()) {
            set(admin, BROKER, "listeners", "PLAINTEXT://127.0.0.1:" + port);
            assertEquals("PLAINTEXT://127.0.0.1:" + port, describe(admin, BROKER).get("listeners").value());
        }
        try (BrokerFixture second = BrokerFixture.start(dir); Admin admin = second.admin()) {
            assertEquals(port, second.broker().boundPort());
            assertEquals(port, admin.describeCluster().nodes().get().iterator().next().port());
        }
    }

    @Test
    void defaultsChangedAtRunTimeApplyAtOnceToTopicsWithoutOverrides() throws Exception {
        try (BrokerFixture fixture = BrokerFixture.start(dir, Map.of("log.retention.check.interval.ms", "100"));
             Admin admin = fixture.admin();
             KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            admin.createTopics(List.of(new NewTopic("plain", 1, (short) 1),
                    new NewTopic("own", 1, (short) 1).configs(Map.of("max.message.bytes", "100000")))).all().get();
            producer.send(new ProducerRecord<>("plain", new byte[5000])).get();

            set(admin, DEFAULT, "message.max.bytes", "1000");
            ExecutionException tooLarge = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("plain", new byte[5000])).get());
            assertInstanceOf(RecordTooLargeException.class, tooLarge.getCause());
            producer.send(new ProducerRecord<>("own", new byte[5000])).get();
            change(admin, DEFAULT, new AlterConfigOp(new ConfigEntry("message.max.bytes", null), AlterConfigOp.OpType.DELETE));
            producer.send(new ProducerRecord<>("plain", new byte[5000])).get();

            // Smallest segments, then a size limit: the topic rolls and trims by the new defaults.
            set(admin, DEFAULT, "log.segment.bytes", "1048576");
            for (int i = 0; i < 40; i++) {
                producer.send(new ProducerRecord<>("plain", new byte[100_000]));
            }
            producer.flush();
            Path partition = dir.resolve("plain-0");
            assertTrue(segments(partition) >= 3, "rolled at 1 MiB: " + segments(partition));
            set(admin, BROKER, "log.retention.bytes", "1048576");
            TopicPartition tp = new TopicPartition("plain", 0);
            BrokerFixture.waitUntil("retention trims the log to about 1 MiB", 30_000, () -> {
                try {
                    return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset() > 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static long segments(Path partition) throws Exception {
        try (Stream<Path> files = Files.list(partition)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).count();
        }
    }
}
