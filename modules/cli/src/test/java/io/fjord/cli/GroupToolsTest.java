package io.fjord.cli;

import io.fjord.broker.testing.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code fjord consume --group}, {@code fjord groups} and {@code fjord perf consume} against a
 * real broker, with Kafka's admin client as the oracle for what was committed.
 */
class GroupToolsTest {

    @TempDir
    Path dir;

    private BrokerFixture broker;
    private String bootstrap;

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

    private void produceLines(String topic, int partitions, int count) {
        assertEquals(0, run("topics", "--bootstrap-server", bootstrap, "--create", "--topic", topic,
                "--partitions", Integer.toString(partitions)).exitCode());
        String lines = IntStream.range(0, count).mapToObj(i -> "k" + i + ":line " + i).collect(Collectors.joining("\n")) + "\n";
        Result produced = runWithInput(lines, "produce", "--bootstrap-server", bootstrap, "--topic", topic,
                "--property", "parse.key=true", "--property", "key.separator=:");
        assertEquals(0, produced.exitCode(), produced.err());
    }

    private Map<TopicPartition, OffsetAndMetadata> committedByKafka(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
    }

    @Test
    void consumeAsAGroupMemberCommitsAndResumesWhereItStopped() throws Exception {
        produceLines("events", 2, 40);
        Result first = run("consume", "--bootstrap-server", bootstrap, "--topic", "events", "--group", "readers",
                "--from-beginning", "--max-messages", "25", "--property", "print.key=true",
                "--property", "print.partition=true", "--property", "print.offset=true");
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(25, first.lines().size());
        for (String line : first.lines()) {
            assertTrue(line.matches("Partition:[01]\tOffset:\\d+\tk(\\d+)\tline \\d+"), line);
            String[] cols = line.split("\t");
            assertEquals(cols[2].substring(1), cols[3].substring("line ".length()), "key and value of one record");
        }
        assertTrue(first.err().contains("Processed a total of 25 messages"), first.err());
        long committed = committedByKafka("readers").values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        assertEquals(25, committed, "the group committed what it printed");

        Result rest = run("consume", "--bootstrap-server", bootstrap, "--topic", "events", "--group", "readers",
                "--timeout-ms", "3000");
        assertEquals(0, rest.exitCode(), rest.err());
        assertEquals(15, rest.lines().size(), "the group goes on where it stopped: " + rest.out());
    }

    @Test
    void groupsListsDescribesResetsAndDeletesAsKafkasTool() throws Exception {
        produceLines("orders", 2, 30);
        assertEquals(0, run("consume", "--bootstrap-server", bootstrap, "--topic", "orders", "--group", "billing",
                "--from-beginning", "--max-messages", "30").exitCode());

        Result list = run("groups", "--bootstrap-server", bootstrap, "--list");
        assertEquals(0, list.exitCode(), list.err());
        assertEquals(List.of("billing"), list.lines());

        Result describe = run("groups", "--bootstrap-server", bootstrap, "--describe", "--group", "billing");
        assertEquals(0, describe.exitCode(), describe.err());
        List<String> lines = describe.lines().stream().filter(l -> !l.isBlank()).toList();
        assertEquals("Consumer group 'billing' has no active members.", lines.get(0));
        assertEquals(List.of("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID",
                "HOST", "CLIENT-ID"), Arrays.asList(lines.get(1).trim().split("\\s+")));
        long total = 0;
        for (String row : lines.subList(2, lines.size())) {
            String[] cols = row.trim().split("\\s+");
            assertEquals("billing", cols[0]);
            assertEquals("orders", cols[1]);
            assertEquals(cols[3], cols[4], "everything read: " + row);
            assertEquals("0", cols[5]);
            total += Long.parseLong(cols[3]);
        }
        assertEquals(30, total);

        Result state = run("groups", "--bootstrap-server", bootstrap, "--describe", "--group", "billing", "--state");
        assertEquals(0, state.exitCode(), state.err());
        List<String> stateLines = state.lines().stream().filter(l -> !l.isBlank()).toList();
        assertTrue(stateLines.get(0).startsWith("GROUP") && stateLines.get(0).contains("COORDINATOR (ID)")
                && stateLines.get(0).contains("#MEMBERS"), state.out());
        assertTrue(stateLines.get(1).contains("Empty"), state.out());

        Result dryRun = run("groups", "--bootstrap-server", bootstrap, "--reset-offsets", "--group", "billing",
                "--topic", "orders", "--to-earliest", "--dry-run");
        assertEquals(0, dryRun.exitCode(), dryRun.err());
        assertTrue(dryRun.out().contains("NEW-OFFSET"), dryRun.out());
        assertEquals(30, committedByKafka("billing").values().stream().mapToLong(OffsetAndMetadata::offset).sum(),
                "a dry run changes nothing");

        Result reset = run("groups", "--bootstrap-server", bootstrap, "--reset-offsets", "--group", "billing",
                "--topic", "orders:0", "--to-offset", "2", "--execute");
        assertEquals(0, reset.exitCode(), reset.err());
        assertEquals(2L, committedByKafka("billing").get(new TopicPartition("orders", 0)).offset());
        Result shift = run("groups", "--bootstrap-server", bootstrap, "--reset-offsets", "--group", "billing",
                "--topic", "orders:0", "--shift-by", "3", "--execute");
        assertEquals(0, shift.exitCode(), shift.err());
        assertEquals(5L, committedByKafka("billing").get(new TopicPartition("orders", 0)).offset());
        Result latest = run("groups", "--bootstrap-server", bootstrap, "--reset-offsets", "--group", "billing",
                "--all-topics", "--to-earliest", "--execute");
        assertEquals(0, latest.exitCode(), latest.err());
        assertTrue(committedByKafka("billing").values().stream().allMatch(o -> o.offset() == 0));

        Result deleteOffsets = run("groups", "--bootstrap-server", bootstrap, "--delete-offsets", "--group", "billing",
                "--topic", "orders:1");
        assertEquals(0, deleteOffsets.exitCode(), deleteOffsets.err());
        assertTrue(deleteOffsets.out().contains("Successful"), deleteOffsets.out());
        assertEquals(List.of(new TopicPartition("orders", 0)), List.copyOf(committedByKafka("billing").keySet()));

        Result delete = run("groups", "--bootstrap-server", bootstrap, "--delete", "--group", "billing");
        assertEquals(0, delete.exitCode(), delete.err());
        assertEquals("Deletion of requested consumer groups ('billing') was successful.\n", delete.out());
        assertEquals(List.of(), run("groups", "--bootstrap-server", bootstrap, "--list").lines());
    }

    @Test
    void perfConsumeReadsEveryRecordAndPrintsKafkasColumns() {
        produceLines("perf-in", 3, 500);
        Result perf = run("perf", "consume", "--bootstrap-server", bootstrap, "--topic", "perf-in",
                "--messages", "500", "--timeout", "30000");
        assertEquals(0, perf.exitCode(), perf.err());
        assertEquals("start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, "
                + "rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", perf.lines().get(0));
        String[] cols = perf.lines().get(1).split(", ");
        assertEquals(10, cols.length, perf.out());
        assertEquals("500", cols[4], "every record consumed");
    }
}
