package io.fjord.cli;

import io.fjord.api.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON files, the proposal and the replica-assignment flag of the cluster tools, and their bad input. */
class PartitionsJsonTest {

    @TempDir
    Path dir;

    @Test
    void readsKafkasTopicsToMoveFile() {
        assertEquals(List.of("a", "b"), PartitionsJson.topicsToMove(
                "{\"version\":1,\"topics\":[{\"topic\":\"a\"},{\"topic\":\"b\"},{\"topic\":\"a\"}]}"));
    }

    @Test
    void readsAReassignmentInTheFilesOrder() {
        Map<TopicPartition, List<Integer>> targets = PartitionsJson.reassignment("{\"version\":1,\"partitions\":["
                + "{\"topic\":\"t\",\"partition\":1,\"replicas\":[3,1],\"log_dirs\":[\"any\",\"any\"]},"
                + "{\"topic\":\"t\",\"partition\":0,\"replicas\":[2]}]}");
        assertEquals(List.of(new TopicPartition("t", 1), new TopicPartition("t", 0)), List.copyOf(targets.keySet()));
        assertEquals(List.of(3, 1), targets.get(new TopicPartition("t", 1)));
        assertEquals(List.of(2), targets.get(new TopicPartition("t", 0)));
    }

    @Test
    void writesKafkasReassignmentJsonWhichReadsBackTheSame() {
        Map<TopicPartition, List<Integer>> assignment = new LinkedHashMap<>();
        assignment.put(new TopicPartition("t", 0), List.of(1, 2));
        assignment.put(new TopicPartition("u", 3), List.of(3));
        String json = PartitionsJson.reassignmentJson(assignment);
        assertEquals("{\"version\":1,\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,2],"
                + "\"log_dirs\":[\"any\",\"any\"]},{\"topic\":\"u\",\"partition\":3,\"replicas\":[3],"
                + "\"log_dirs\":[\"any\"]}]}", json);
        assertEquals(assignment, PartitionsJson.reassignment(json));
    }

    @Test
    void badReassignmentsAreRefusedSayingWhy() {
        assertMessage("Invalid JSON", () -> PartitionsJson.reassignment("{\"partitions\":["));
        assertMessage("no \"partitions\" array", () -> PartitionsJson.reassignment("{\"version\":1}"));
        assertMessage("no \"topic\" string", () -> PartitionsJson.reassignment(
                "{\"partitions\":[{\"partition\":0,\"replicas\":[1]}]}"));
        assertMessage("no \"partition\" number", () -> PartitionsJson.reassignment(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":\"x\",\"replicas\":[1]}]}"));
        assertMessage("array of broker ids", () -> PartitionsJson.reassignment(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[\"a\"]}]}"));
        assertMessage("cannot be empty", () -> PartitionsJson.reassignment(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[]}]}"));
        assertMessage("Duplicate replica assignment", () -> PartitionsJson.reassignment(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,1]}]}"));
        assertMessage("log dirs list", () -> PartitionsJson.reassignment(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0,\"replicas\":[1,2],\"log_dirs\":[\"any\"]}]}"));
        assertMessage("duplicate partitions: t-0", () -> PartitionsJson.reassignment("{\"partitions\":["
                + "{\"topic\":\"t\",\"partition\":0,\"replicas\":[1]},{\"topic\":\"t\",\"partition\":0,\"replicas\":[2]}]}"));
    }

    @Test
    void readsElectionPartitionsAndRefusesDuplicates() {
        assertEquals(Set.of(new TopicPartition("t", 0), new TopicPartition("t", 2)), PartitionsJson.electionPartitions(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0},{\"topic\":\"t\",\"partition\":2}]}"));
        assertMessage("Replica election data contains duplicate partitions: t-0", () -> PartitionsJson.electionPartitions(
                "{\"partitions\":[{\"topic\":\"t\",\"partition\":0},{\"topic\":\"t\",\"partition\":0}]}"));
    }

    /** Kafka's own worked example: five brokers, ten partitions, three replicas, start and shift 0. */
    @Test
    void proposalPlacesReplicasAsKafkasRackUnawareAssignment() {
        List<List<Integer>> placement = ReplicaPlacement.place(10, 3, List.of(0, 1, 2, 3, 4), 0, 0);
        assertEquals(List.of(0, 1, 2), placement.get(0));
        assertEquals(List.of(4, 0, 1), placement.get(4));
        assertEquals(List.of(0, 2, 3), placement.get(5));
        assertEquals(List.of(4, 1, 2), placement.get(9));
        // Each broker leads two partitions and holds six replicas.
        for (int broker = 0; broker < 5; broker++) {
            int b = broker;
            assertEquals(2, placement.stream().filter(r -> r.get(0) == b).count());
            assertEquals(6, placement.stream().filter(r -> r.contains(b)).count());
        }
        assertEquals(List.of(List.of(3, 2), List.of(1, 3)), ReplicaPlacement.place(2, 2, List.of(1, 2, 3), 2, 1));
        assertMessage("larger than available brokers", () -> ReplicaPlacement.place(1, 3, List.of(1, 2), 0, 0));
    }

    @Test
    void replicaAssignmentFlagGivesPartitionPTheP_thList() {
        assertEquals(Map.of(0, List.of(1, 2), 1, List.of(2, 3)), TopicsCommand.replicaAssignment("1:2,2:3"));
        assertEquals("Partition 1 has different replication factor: 2",
                assertThrows(TopicsCommand.TopicCommandException.class, () -> TopicsCommand.replicaAssignment("1:2,2"))
                        .getMessage());
        assertTrue(assertThrows(TopicsCommand.TopicCommandException.class,
                () -> TopicsCommand.replicaAssignment("1:x")).getMessage().contains("'x' is not a broker id"));
        assertTrue(assertThrows(TopicsCommand.TopicCommandException.class,
                () -> TopicsCommand.replicaAssignment("1:1")).getMessage().contains("duplicate entries"));
    }

    /** Bad input fails before any request: nothing listens on the bootstrap address. */
    @Test
    void commandsPrintReadableErrorsAndExitOne() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"partitions\":[{\"topic\":\"t\"}]}");
        Outcome reassign = fjord("reassign-partitions", "--bootstrap-server", "127.0.0.1:1", "--execute",
                "--reassignment-json-file", bad.toString());
        assertEquals(1, reassign.code());
        assertTrue(reassign.err().startsWith("Error: Entry {topic=t} has no \"partition\" number"), reassign.err());

        Outcome generate = fjord("reassign-partitions", "--bootstrap-server", "127.0.0.1:1", "--generate");
        assertEquals(1, generate.code());
        assertTrue(generate.err().contains("--generate needs --topics-to-move-json-file and --broker-list"), generate.err());

        Outcome noPartition = fjord("leader-election", "--bootstrap-server", "127.0.0.1:1", "--election-type",
                "preferred", "--topic", "t");
        assertEquals(1, noPartition.code());
        assertTrue(noPartition.err().contains("--partition is required with --topic"), noPartition.err());

        Outcome badType = fjord("leader-election", "--bootstrap-server", "127.0.0.1:1", "--election-type", "eager",
                "--all-topic-partitions");
        assertEquals(1, badType.code());
        assertTrue(badType.err().contains("Unknown election type 'eager'"), badType.err());

        Outcome both = fjord("topics", "--bootstrap-server", "127.0.0.1:1", "--create", "--topic", "t",
                "--partitions", "2", "--replica-assignment", "1:2");
        assertEquals(1, both.code());
        assertTrue(both.err().contains("--replica-assignment can't be used with --partitions"), both.err());
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome fjord(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static void assertMessage(String part, Executable call) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(message.contains(part), message);
    }
}
