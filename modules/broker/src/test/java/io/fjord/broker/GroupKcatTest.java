package io.fjord.broker;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.fjord.broker.testing.BrokerFixture.waitUntil;
import static io.fjord.broker.GroupSupport.SETTLE_TIMEOUT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * librdkafka's balanced consumer ({@code kcat -G}) in groups run by the coordinator: one kcat reads
 * a topic as a group and commits, and a second kcat in the same group shares the partitions.
 */
class GroupKcatTest {

    private static final String TOPIC = "kcat-grouped";
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    private BrokerFixture fixture;
    private Admin admin;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Kcat.installed(), "kcat is not installed");
        fixture = BrokerFixture.start(dir.resolve("data"), GroupSupport.BROKER_SETTINGS);
        admin = fixture.admin();
        GroupSupport.createTopic(admin, TOPIC, PARTITIONS);
    }

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(Kcat.PROCESS_TIMEOUT_S, TimeUnit.SECONDS);
        }
        if (admin != null) {
            admin.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** kcat's balanced-consumer arguments: the group, short sessions, and one "partition offset value" line per record. */
    private static String[] groupArgs(String group, String clientId, String... extra) {
        List<String> args = new ArrayList<>(List.of("-G", group, "-q", "-u", "-f", "%p %o %s\\n",
                "-X", "client.id=" + clientId,
                "-X", "auto.offset.reset=earliest",
                "-X", "session.timeout.ms=6000",
                "-X", "heartbeat.interval.ms=200",
                "-X", "fetch.wait.max.ms=100"));
        args.addAll(List.of(extra));
        args.add(TOPIC);
        return args.toArray(String[]::new);
    }

    private List<String> produce(String prefix, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = fixture.producer(Map.of())) {
            return GroupSupport.produce(producer, TOPIC, PARTITIONS, prefix, count);
        }
    }

    /** The "partition offset value" lines kcat has written so far. */
    private static List<String[]> lines(Path out) {
        try {
            return Files.readAllLines(out).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ", 3)).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void kcatReadsATopicAsAGroupCommitsWhereItStoppedAndResumesThere() throws Exception {
        List<String> values = produce("kcat", 200);
        Path out = dir.resolve("single.out");
        Path err = dir.resolve("single.err");
        Process kcat = Kcat.start(fixture.bootstrap(), out, err, groupArgs("kcat-single", "kcat-single", "-e"));
        processes.add(kcat);
        assertTrue(kcat.waitFor(120, TimeUnit.SECONDS), "kcat -G -e did not finish: " + Kcat.read(err));
        assertEquals(0, kcat.exitValue(), Kcat.read(err));
        List<String> read = lines(out).stream().map(l -> l[2]).toList();
        assertEquals(values.size(), read.size(), "each record once: " + Kcat.read(err));
        assertEquals(new HashSet<>(values), new HashSet<>(read));
        Map<TopicPartition, Long> end = GroupSupport.endOffsets(admin, GroupSupport.partitions(TOPIC, PARTITIONS));
        assertEquals(end, GroupSupport.committed(admin, "kcat-single"), "kcat committed its positions on the way out");

        // A second run of the group starts at the committed offsets: only the new records.
        List<String> more = produce("more", 40);
        Path againOut = dir.resolve("again.out");
        Path againErr = dir.resolve("again.err");
        Process again = Kcat.start(fixture.bootstrap(), againOut, againErr, groupArgs("kcat-single", "kcat-again", "-e"));
        processes.add(again);
        assertTrue(again.waitFor(120, TimeUnit.SECONDS), "the second kcat -G -e did not finish: " + Kcat.read(againErr));
        assertEquals(0, again.exitValue(), Kcat.read(againErr));
        List<String> readAgain = lines(againOut).stream().map(l -> l[2]).toList();
        assertEquals(more.size(), readAgain.size(), "nothing before the committed offsets: " + readAgain);
        assertEquals(new HashSet<>(more), new HashSet<>(readAgain));
    }

    @Test
    void aSecondKcatInTheGroupSharesThePartitions() throws Exception {
        String group = "kcat-shared";
        Set<TopicPartition> all = GroupSupport.partitions(TOPIC, PARTITIONS);
        Path outA = dir.resolve("a.out");
        Path outB = dir.resolve("b.out");
        Path errA = dir.resolve("a.err");
        Path errB = dir.resolve("b.err");
        processes.add(Kcat.start(fixture.bootstrap(), outA, errA, groupArgs(group, "kcat-a")));
        waitUntil(() -> "kcat-a to own the topic: " + described(group) + " " + Kcat.read(errA), SETTLE_TIMEOUT_MS,
                () -> all.equals(described(group).get("kcat-a")));
        processes.add(Kcat.start(fixture.bootstrap(), outB, errB, groupArgs(group, "kcat-b")));
        waitUntil(() -> "the two to split the topic: " + described(group) + " " + Kcat.read(errB), SETTLE_TIMEOUT_MS, () -> {
            Map<String, Set<TopicPartition>> now = described(group);
            Set<TopicPartition> a = now.getOrDefault("kcat-a", Set.of());
            Set<TopicPartition> b = now.getOrDefault("kcat-b", Set.of());
            Set<TopicPartition> union = new HashSet<>(a);
            union.addAll(b);
            return now.size() == 2 && !a.isEmpty() && !b.isEmpty() && a.size() + b.size() == PARTITIONS && union.equals(all);
        });
        Map<String, Set<TopicPartition>> split = described(group);

        List<String> values = produce("shared", 200);
        waitUntil(() -> "200 records across both: " + lines(outA).size() + " + " + lines(outB).size(), SETTLE_TIMEOUT_MS,
                () -> lines(outA).size() + lines(outB).size() >= values.size());
        List<String> read = new ArrayList<>();
        for (Map.Entry<String, Path> member : Map.of("kcat-a", outA, "kcat-b", outB).entrySet()) {
            for (String[] line : lines(member.getValue())) {
                TopicPartition tp = new TopicPartition(TOPIC, Integer.parseInt(line[0]));
                assertTrue(split.get(member.getKey()).contains(tp), member.getKey() + " read " + tp + " it does not own");
                read.add(line[2]);
            }
        }
        assertEquals(values.size(), read.size(), "each record read once by one of them");
        assertEquals(new HashSet<>(values), new HashSet<>(read));
        assertEquals(split, described(group), "no rebalance while reading");
    }

    /** The group's assignments by client id, or an empty map while the group cannot be described. */
    private Map<String, Set<TopicPartition>> described(String group) {
        try {
            Map<String, Set<TopicPartition>> result = new HashMap<>();
            for (MemberDescription member : GroupSupport.describe(admin, group).members()) {
                result.put(member.clientId(), member.assignment().topicPartitions());
            }
            return result;
        } catch (Exception e) {
            return Map.of();
        }
    }
}
