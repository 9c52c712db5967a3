package io.fjord.cli;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fjord topics}, {@code fjord produce} and {@code fjord consume} against a real broker, with Kafka's consumer as the oracle. */
class ConsoleToolsTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;
    private String bootstrap;

    /** Exit code and the two output streams of one command line. */
    private record Result(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }
    }

    @BeforeEach
    void start() throws Exception {
        broker = BrokerFixture.start(dir);
        bootstrap = broker.bootstrap();
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
    }

    private Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Result(code, out.toString().replace("\r\n", "\n"), err.toString());
        } finally {
            System.setIn(original);
        }
    }

    private Result run(String... args) {
        return runWithInput("", args);
    }

    private void create(String topic, int partitions) {
        Result created = run("topics", "--bootstrap-server", bootstrap, "--create", "--topic", topic,
                "--partitions", Integer.toString(partitions));
        assertEquals(0, created.exitCode(), created.err());
    }

    @Test
    void createListDescribeAndDeleteWithKafkasMessagesOnErrors() throws Exception {
        Result created = run("topics", "--bootstrap-server", bootstrap, "--create", "--topic", "orders",
                "--partitions", "3", "--replication-factor", "1", "--config", "retention.ms=86400000");
        assertEquals(0, created.exitCode(), created.err());
        assertEquals("Created topic orders.\n", created.out());
        create("audit", 1);

        Result again = run("topics", "--bootstrap-server", bootstrap, "--create", "--topic", "orders");
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("Error while executing topic command : Topic 'orders' already exists."),
                again.err());

        Result list = run("topics", "--bootstrap-server", bootstrap, "--list");
        assertEquals(0, list.exitCode(), list.err());
        assertEquals(List.of("audit", "orders"), list.lines());

        Result describe = run("topics", "--bootstrap-server", bootstrap, "--describe", "--topic", "orders");
        assertEquals(0, describe.exitCode(), describe.err());
        List<String> lines = describe.lines();
        assertEquals(4, lines.size(), describe.out());
        String topicId;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            topicId = admin.describeTopics(List.of("orders")).allTopicNames().get().get("orders").topicId().toString();
        }
        assertEquals("Topic: orders\tTopicId: " + topicId + "\tPartitionCount: 3\tReplicationFactor: 1\t"
                + "Configs: retention.ms=86400000", lines.get(0));
        for (int p = 0; p < 3; p++) {
            assertEquals("\tTopic: orders\tPartition: " + p + "\tLeader: 1\tReplicas: 1\tIsr: 1", lines.get(p + 1));
        }
        Result describeAll = run("topics", "--bootstrap-server", bootstrap, "--describe");
        assertEquals(6, describeAll.lines().size(), describeAll.out());
        assertTrue(describeAll.lines().get(0).startsWith("Topic: audit\t"), describeAll.out());

        Result deleted = run("topics", "--bootstrap-server", bootstrap, "--delete", "--topic", "orders");
        assertEquals(0, deleted.exitCode(), deleted.err());
        assertEquals(List.of("audit"), run("topics", "--bootstrap-server", bootstrap, "--list").lines());

        Result deleteMissing = run("topics", "--bootstrap-server", bootstrap, "--delete", "--topic", "orders");
        assertEquals(1, deleteMissing.exitCode());
        assertTrue(deleteMissing.err().contains("Error while executing topic command : Topic 'orders' does not exist"),
                deleteMissing.err());
        Result describeMissing = run("topics", "--bootstrap-server", bootstrap, "--describe", "--topic", "orders");
        assertEquals(1, describeMissing.exitCode());
        assertTrue(describeMissing.err().contains("Topic 'orders' does not exist"), describeMissing.err());
    }

    @Test
    void topicsNeedsExactlyOneAction() {
        assertEquals(2, run("topics", "--bootstrap-server", bootstrap, "--list", "--describe").exitCode());
        assertEquals(2, run("topics", "--bootstrap-server", bootstrap).exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "lz4", "zstd"})
    void linesProducedWithEachCodecAreConsumedBackInOrderByFjordAndByKafka(String codec) {
        String topic = "lines-" + codec;
        create(topic, 1);
        Random random = new Random(42);
        List<String> lines = IntStream.range(0, 450)
                .mapToObj(i -> "line " + i + " " + Long.toHexString(random.nextLong()) + " ünïcode")
                .collect(Collectors.toList());
        Result produced = runWithInput(String.join("\n", lines) + "\n", "produce", "--bootstrap-server", bootstrap,
                "--topic", topic, "--compression-codec", codec, "--batch-size", "1000");
        assertEquals(0, produced.exitCode(), produced.err());

        Result consumed = run("consume", "--bootstrap-server", bootstrap, "--topic", topic, "--from-beginning",
                "--max-messages", Integer.toString(lines.size()));
        assertEquals(0, consumed.exitCode(), consumed.err());
        assertEquals(lines, consumed.lines());
        assertTrue(consumed.err().contains("Processed a total of 450 messages"), consumed.err());

        List<ConsumerRecord<String, String>> kafka = readWithKafka(topic, 1, lines.size());
        assertEquals(lines, kafka.stream().map(ConsumerRecord::value).collect(Collectors.toList()));
        assertEquals(IntStream.range(0, lines.size()).mapToObj(i -> (long) i).collect(Collectors.toList()),
                kafka.stream().map(ConsumerRecord::offset).collect(Collectors.toList()));
    }

    @Test
    void keysAreSplitAtTheSeparatorAndPartitionedAsKafkaDoes() {
        create("keyed", 3);
        List<String> lines = IntStream.range(0, 60).mapToObj(i -> "user-" + (i % 7) + ":event " + i)
                .collect(Collectors.toList());
        Result produced = runWithInput(String.join("\n", lines) + "\n", "produce", "--bootstrap-server", bootstrap,
                "--topic", "keyed", "--property", "parse.key=true", "--property", "key.separator=:");
        assertEquals(0, produced.exitCode(), produced.err());

        List<ConsumerRecord<String, String>> kafka = readWithKafka("keyed", 3, lines.size());
        for (ConsumerRecord<String, String> record : kafka) {
            assertTrue(record.key().startsWith("user-"), record.key());
            assertTrue(lines.contains(record.key() + ":" + record.value()));
            int expected = Utils.toPositive(Utils.murmur2(record.key().getBytes(StandardCharsets.UTF_8))) % 3;
            assertEquals(expected, record.partition(), "the partition of key " + record.key());
        }

        Result consumed = run("consume", "--bootstrap-server", bootstrap, "--topic", "keyed", "--from-beginning",
                "--max-messages", "60", "--property", "print.key=true", "--property", "key.separator=:");
        assertEquals(0, consumed.exitCode(), consumed.err());
        assertEquals(lines.stream().sorted().collect(Collectors.toList()),
                consumed.lines().stream().sorted().collect(Collectors.toList()));

        Result missingSeparator = runWithInput("no separator here\n", "produce", "--bootstrap-server", bootstrap,
                "--topic", "keyed", "--property", "parse.key=true", "--property", "key.separator=:");
        assertEquals(1, missingSeparator.exitCode());
    }

    @Test
    void consumeFromAnOffsetOfOnePartitionAndFromTheEnd() {
        create("offsets", 2);
        Result produced = runWithInput("k:a\nk:b\nk:c\nk:d\n", "produce", "--bootstrap-server", bootstrap,
                "--topic", "offsets", "--property", "parse.key=true", "--property", "key.separator=:");
        assertEquals(0, produced.exitCode(), produced.err());
        // One key: every line in one partition, the one Kafka's partitioner gives the key.
        String partition = Integer.toString(Utils.toPositive(Utils.murmur2("k".getBytes(StandardCharsets.UTF_8))) % 2);
        Result fromTwo = run("consume", "--bootstrap-server", bootstrap, "--topic", "offsets", "--partition", partition,
                "--offset", "2", "--max-messages", "2");
        assertEquals(0, fromTwo.exitCode(), fromTwo.err());
        assertEquals(List.of("c", "d"), fromTwo.lines());

        Result earliest = run("consume", "--bootstrap-server", bootstrap, "--topic", "offsets", "--partition", partition,
                "--offset", "earliest", "--max-messages", "1");
        assertEquals(List.of("a"), earliest.lines());

        Result latest = run("consume", "--bootstrap-server", bootstrap, "--topic", "offsets", "--timeout-ms", "1000");
        assertEquals(0, latest.exitCode(), latest.err());
        assertEquals(List.of(), latest.lines(), "nothing is written after the end");
        assertTrue(latest.err().contains("Processed a total of 0 messages"), latest.err());
    }

    @Test
    void configsAreDescribedAndAlteredAsKafkasAdminSeesThem() throws Exception {
        create("configured", 1);
        Result altered = run("configs", "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "configured", "--alter", "--add-config", "retention.ms=123456,cleanup.policy=compact");
        assertEquals(0, altered.exitCode(), altered.err());
        assertEquals("Completed updating config for topic configured.\n", altered.out());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "configured");
            assertEquals("123456", admin.describeConfigs(List.of(resource)).all().get().get(resource)
                    .get("retention.ms").value());
        }
        Result deleted = run("configs", "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "configured", "--alter", "--delete-config", "cleanup.policy");
        assertEquals(0, deleted.exitCode(), deleted.err());
        Result described = run("configs", "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "configured", "--describe");
        assertEquals(0, described.exitCode(), described.err());
        assertEquals(List.of("Dynamic configs for topic configured are:", "  retention.ms=123456 sensitive=false"),
                described.lines());
        Result missing = run("configs", "--bootstrap-server", bootstrap, "--entity-type", "topics",
                "--entity-name", "nope", "--describe");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("The topic 'nope' does not exist."), missing.err());
    }

    @Test
    void perfProduceSendsEveryRecordAndPrintsKafkasSummaryLine() {
        create("perf", 2);
        Result perf = run("perf", "produce", "--topic", "perf", "--num-records", "3000", "--record-size", "100",
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all",
                "compression.type=lz4");
        assertEquals(0, perf.exitCode(), perf.err());
        String summary = perf.lines().get(perf.lines().size() - 1);
        assertTrue(summary.matches("3000 records sent, [0-9.]+ records/sec \\([0-9.]+ MB/sec\\), [0-9.]+ ms avg latency, "
                + "[0-9.]+ ms max latency, [0-9]+ ms 50th, [0-9]+ ms 95th, [0-9]+ ms 99th, [0-9]+ ms 99.9th\\."), summary);
        List<ConsumerRecord<String, String>> records = readWithKafka("perf", 2, 3000);
        assertTrue(records.stream().allMatch(r -> r.value().length() == 100 && r.value().matches("[A-Z]+")));
    }

    @Test
    void perfProduceWithADurationSendsUntilTheTimeIsUpAndCountsWhatTheBrokerHolds() {
        create("timed", 2);
        long startNs = System.nanoTime();
        Result perf = run("perf", "produce", "--topic", "timed", "--duration-ms", "1500", "--record-size", "100",
                "--throughput", "2000", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all");
        long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        assertEquals(0, perf.exitCode(), perf.err());
        assertTrue(elapsedMs >= 1500 && elapsedMs < 30_000, "ran " + elapsedMs + " ms");
        String summary = perf.lines().get(perf.lines().size() - 1);
        assertTrue(summary.matches("[0-9]+ records sent, [0-9.]+ records/sec \\([0-9.]+ MB/sec\\), [0-9.]+ ms avg latency, "
                + "[0-9.]+ ms max latency, [0-9]+ ms 50th, [0-9]+ ms 95th, [0-9]+ ms 99th, [0-9]+ ms 99.9th\\."), summary);
        long sent = Long.parseLong(summary.substring(0, summary.indexOf(' ')));
        // --throughput holds: record i goes out no sooner than i / 2000 s (a sleep may wake a millisecond early).
        assertTrue(sent > 0 && sent <= 3010, summary);
        assertEquals(sent, endOffsetsWithKafka("timed", 2), "the summary counts what the broker holds");
    }

    @Test
    void perfProduceWithACountAndADurationStopsAtWhicheverEndsFirst() {
        create("capped", 1);
        Result perf = run("perf", "produce", "--topic", "capped", "--num-records", "200", "--duration-ms", "600000",
                "--record-size", "10", "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap);
        assertEquals(0, perf.exitCode(), perf.err());
        assertTrue(perf.lines().get(perf.lines().size() - 1).startsWith("200 records sent, "), perf.out());
        assertEquals(200, endOffsetsWithKafka("capped", 1));
    }

    @Test
    void perfProduceRefusesAMissingOrNonPositiveCountOrDuration() {
        List<String> common = List.of("perf", "produce", "--topic", "t", "--record-size", "10", "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + bootstrap);
        Result neither = run(common.toArray(String[]::new));
        assertEquals(1, neither.exitCode());
        assertTrue(neither.err().contains("give --num-records, --duration-ms or both"), neither.err());
        for (List<String> bad : List.of(List.of("--duration-ms", "0"), List.of("--duration-ms", "-5"),
                List.of("--num-records", "0"), List.of("--num-records", "10", "--duration-ms", "-1"))) {
            List<String> args = new ArrayList<>(common);
            args.addAll(bad);
            Result refused = run(args.toArray(String[]::new));
            assertEquals(1, refused.exitCode(), bad.toString());
            assertTrue(refused.err().contains("--num-records, --duration-ms and --record-size must be positive"),
                    refused.err());
        }
    }

    /** The sum of the topic's end offsets, as Kafka's consumer reads them. */
    private long endOffsetsWithKafka(String topic, int partitions) {
        List<TopicPartition> all = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toList());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(), new StringDeserializer())) {
            return consumer.endOffsets(all, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private List<ConsumerRecord<String, String>> readWithKafka(String topic, int partitions, int count) {
        List<TopicPartition> assignment = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toList());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            // Bounded by attempts, not by time: each poll waits at most a second for data.
            for (int attempt = 0; attempt < 60 && records.size() < count; attempt++) {
                consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
            }
        }
        assertEquals(count, records.size(), "Kafka's consumer reads every record");
        return records;
    }
}
