package io.fjord.tooltests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.broker.Broker;
import io.fjord.broker.BrokerConfig;
import io.fjord.protocol.message.ApiKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own command-line tools against a Fjord broker, each in its own process: {@code
 * kafka-topics --describe} (DescribeTopicPartitions with paging), {@code kafka-get-offsets} with
 * the special times -1 to -4 (ListOffsets up to v10), {@code kafka-configs --describe --all} for a
 * topic and the broker (DescribeConfigs with synonyms) and {@code --alter}, {@code
 * kafka-features describe} (the feature levels of ApiVersions), and {@code kafka-log-dirs --describe}
 * (DescribeLogDirs, filtered to the topics listed). The broker pages
 * DescribeTopicPartitions every two partitions, so the tool must follow the cursor.
 */
class KafkaToolsTest {

    @TempDir
    static Path dir;

    private static Broker broker;
    private static String bootstrap;

    @BeforeAll
    static void start() throws Exception {
        broker = new Broker(BrokerConfig.of(Map.of(
                "node.id", "1",
                "listeners", "PLAINTEXT://127.0.0.1:0",
                "log.dirs", dir.resolve("data").toString(),
                "offsets.topic.replication.factor", "1",
                "log.retention.hours", "100",
                "max.request.partition.size.limit", "2")));
        broker.start();
        bootstrap = "127.0.0.1:" + broker.boundPort();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.shutdown();
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap));
    }

    private static KafkaTool.Result tool(String mainClass, String... args) throws Exception {
        KafkaTool.Result result = KafkaTool.run(dir, mainClass, args);
        assertEquals(0, result.exitCode(), mainClass + " failed:\n" + result.out() + result.err());
        return result;
    }

    @Test
    void kafkaTopicsDescribesEveryPartitionThroughTheCursor() throws Exception {
        String id;
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("paged", 5, (short) 1)
                    .configs(Map.of("retention.ms", "1000")))).all().get();
            id = admin.describeTopics(List.of("paged")).allTopicNames().get().get("paged").topicId().toString();
        }
        long pagesBefore = broker.requestMetrics().api(ApiKeys.DESCRIBE_TOPIC_PARTITIONS).handleTime().count();
        List<String> lines = tool(KafkaTool.TOPICS, "--bootstrap-server", bootstrap, "--describe", "--topic", "paged").lines();
        assertEquals("Topic: paged\tTopicId: " + id + "\tPartitionCount: 5\tReplicationFactor: 1\tConfigs: retention.ms=1000",
                lines.get(0));
        for (int p = 0; p < 5; p++) {
            assertEquals("\tTopic: paged\tPartition: " + p + "\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: ",
                    lines.get(1 + p));
        }
        long pages = broker.requestMetrics().api(ApiKeys.DESCRIBE_TOPIC_PARTITIONS).handleTime().count() - pagesBefore;
        assertTrue(pages >= 3, "five partitions two at a time take three pages: " + pages);
    }

    @Test
    void kafkaGetOffsetsAnswersTheSpecialTimes() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("times", 1, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            long[] timestamps = {1_000L, 5_000L, 3_000L, 5_000L, 2_000L};
            for (long ts : timestamps) {
                producer.send(new ProducerRecord<>("times", 0, ts, "k", "v")).get();
            }
        }
        assertEquals("times:0:5", offset("-1"), "latest");
        assertEquals("times:0:0", offset("-2"), "earliest");
        assertEquals("times:0:1", offset("-3"), "the first record with the largest timestamp");
        assertEquals("times:0:0", offset("-4"), "earliest local: every segment is local");
        assertEquals("times:0:1", offset("3000"), "the first record at or after 3000");
        assertEquals("times:0:1", offset("1500"), "the first record at or after 1500");
    }

    private static String offset(String time) throws Exception {
        return tool(KafkaTool.GET_OFFSETS, "--bootstrap-server", bootstrap, "--topic", "times", "--time", time)
                .out().strip();
    }

    @Test
    void kafkaConfigsDescribesTopicAndBrokerWithSynonymsAndAlters() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("configured", 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        List<String> topic = tool(KafkaTool.CONFIGS, "--bootstrap-server", bootstrap, "--describe", "--all",
                "--entity-type", "topics", "--entity-name", "configured").lines();
        assertEquals("All configs for topic configured are:", topic.get(0));
        assertTrue(topic.contains("  cleanup.policy=compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=compact, "
                + "DEFAULT_CONFIG:log.cleanup.policy=delete}"), String.join("\n", topic));
        assertTrue(topic.contains("  retention.ms=360000000 sensitive=false synonyms={STATIC_BROKER_CONFIG:log.retention.hours=100, "
                + "DEFAULT_CONFIG:log.retention.hours=168}"), String.join("\n", topic));
        assertTrue(topic.contains("  max.message.bytes=1048588 sensitive=false synonyms={DEFAULT_CONFIG:message.max.bytes=1048588}"));

        tool(KafkaTool.CONFIGS, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "topics",
                "--entity-name", "configured", "--add-config", "retention.ms=2000");
        List<String> changed = tool(KafkaTool.CONFIGS, "--bootstrap-server", bootstrap, "--describe",
                "--entity-type", "topics", "--entity-name", "configured").lines();
        assertTrue(changed.contains("  retention.ms=2000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=2000, "
                + "STATIC_BROKER_CONFIG:log.retention.hours=100, DEFAULT_CONFIG:log.retention.hours=168}"),
                String.join("\n", changed));

        List<String> brokerConfigs = tool(KafkaTool.CONFIGS, "--bootstrap-server", bootstrap, "--describe", "--all",
                "--entity-type", "brokers", "--entity-name", "1").lines();
        assertEquals("All configs for broker 1 are:", brokerConfigs.get(0));
        assertTrue(brokerConfigs.contains("  log.retention.hours=100 sensitive=false synonyms={STATIC_BROKER_CONFIG:"
                + "log.retention.hours=100, DEFAULT_CONFIG:log.retention.hours=168}"), String.join("\n", brokerConfigs));
        assertTrue(brokerConfigs.contains("  num.partitions=1 sensitive=false synonyms={DEFAULT_CONFIG:num.partitions=1}"));
        assertTrue(brokerConfigs.contains("  log.retention.ms=null sensitive=false synonyms={}"));
        assertTrue(brokerConfigs.size() > 70, "every setting the broker knows: " + brokerConfigs.size());
    }

    @Test
    void kafkaFeaturesDescribesTheLevelsFjordSpeaks() throws Exception {
        List<String> lines = tool(KafkaTool.FEATURES, "--bootstrap-server", bootstrap, "describe").lines();
        List<String> expected = List.of("eligible.leader.replicas.version", "group.version", "kraft.version",
                "share.version", "streams.version", "transaction.version");
        assertEquals(expected.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(List.of("Feature: " + expected.get(i), "SupportedMinVersion: 0", "SupportedMaxVersion: 0",
                    "FinalizedVersionLevel: 0", "Epoch: 0"), List.of(lines.get(i).strip().split("\\s{2,}|\t")));
        }
    }

    @Test
    void kafkaLogDirsDescribesTheDirAndTheSizeOfEachPartitionOfTheTopicsListed() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("dirs", 2, (short) 1), new NewTopic("other", 1, (short) 1)))
                    .all().get();
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("dirs", 1, "k", "v".repeat(100))).get();
        }
        List<String> lines = tool(KafkaTool.LOG_DIRS, "--bootstrap-server", bootstrap, "--describe",
                "--topic-list", "dirs").lines();
        assertEquals("Querying brokers for log directories information", lines.get(0));
        assertEquals("Received log directory information from brokers 1", lines.get(1));
        String json = lines.get(2);
        Path data = dir.resolve("data").toAbsolutePath();
        assertTrue(json.startsWith("{\"brokers\":[{\"broker\":1,\"logDirs\":[{\"partitions\":["), json);
        assertTrue(json.endsWith("],\"error\":null,\"logDir\":\"" + data + "\"}]}],\"version\":1}"), json);
        Set<String> partitions = new HashSet<>();
        Matcher m = Pattern.compile("\\{\"partition\":[^}]*}").matcher(json);
        while (m.find()) {
            partitions.add(m.group());
        }
        long size = Files.size(data.resolve("dirs-1").resolve("00000000000000000000.log"));
        assertTrue(size > 100, "the record is on disk");
        assertEquals(Set.of("{\"partition\":\"dirs-0\",\"size\":0,\"offsetLag\":0,\"isFuture\":false}",
                "{\"partition\":\"dirs-1\",\"size\":" + size + ",\"offsetLag\":0,\"isFuture\":false}"), partitions,
                "only the topics listed, each partition with its size on disk");
    }
}
