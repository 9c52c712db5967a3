package io.fjord.clustertests;

import io.fjord.api.Node;
import io.fjord.api.TopicPartition;
import io.fjord.client.admin.ClusterDescription;
import io.fjord.client.admin.ElectionType;
import io.fjord.client.admin.FjordAdmin;
import io.fjord.client.admin.LogDirDescription;
import io.fjord.client.admin.PartitionReassignment;
import io.fjord.client.admin.TopicDescription;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.fjord.clustertests.FjordCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fjord's console tools ({@code fjord topics}, {@code reassign-partitions}, {@code leader-election},
 * each the image's {@code bin/fjord} in its own process) and the admin calls under them, against a
 * three-broker cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FjordConsoleTest {

    private static FjordCluster cluster;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        cluster = FjordCluster.start(3, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Result(int exitCode, String out, String err) {
        List<String> partitionLines(String topic) {
            return out.lines().filter(l -> l.startsWith("\tTopic: " + topic + "\t")).toList();
        }
    }

    private Result fjord(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("fjord.image"), "bin", "fjord").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "fjord", ".out");
        Path err = Files.createTempFile(work, "fjord", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("FJORD_OPTS");
        pb.environment().remove("FJORD_JVM_PERFORMANCE_OPTS");
        Process p = pb.start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "fjord " + args[0] + " did not finish");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Result tool(String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command, "--bootstrap-server", cluster.bootstrap()));
        all.addAll(List.of(args));
        return fjord(all.toArray(String[]::new));
    }

    private static FjordAdmin admin() {
        return admin(cluster.bootstrap());
    }

    private static FjordAdmin admin(String bootstrap) {
        return new FjordAdmin(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", "30000"));
    }

    private static TopicDescription describe(String topic) throws Exception {
        try (FjordAdmin admin = admin()) {
            return admin.describeTopics(List.of(topic)).get(topic).get();
        }
    }

    private static List<Integer> replicas(String topic, int partition) throws Exception {
        return describe(topic).partitions().get(partition).replicas().stream().map(Node::id).toList();
    }

    private static int leader(String topic, int partition) throws Exception {
        return describe(topic).partitions().get(partition).leader().map(Node::id).orElse(-1);
    }

    private static Errors errorOf(ExecutionException e) {
        return assertInstanceOf(ClientException.class, e.getCause()).error();
    }

    @Test
    @Order(1)
    void topicsCreatesWithAReplicaAssignmentAndDescribesAsKafkaTopics() throws Exception {
        Result created = tool("topics", "--create", "--topic", "placed", "--replica-assignment", "1:2,2:3,3:1");
        assertEquals(0, created.exitCode(), created.err());
        assertEquals("Created topic placed.", created.out().strip());
        await("leaders of placed", Duration.ofSeconds(30), () -> describe("placed").partitions().stream()
                .allMatch(p -> p.leader().isPresent() && p.isr().size() == 2));
        assertEquals(List.of(2, 3), replicas("placed", 1));

        Result described = tool("topics", "--describe", "--topic", "placed");
        assertEquals(0, described.exitCode(), described.err());
        assertTrue(described.out().startsWith("Topic: placed\tTopicId: "), described.out());
        assertTrue(described.out().contains("\tPartitionCount: 3\tReplicationFactor: 2\t"), described.out());
        assertEquals(List.of("\tTopic: placed\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2",
                "\tTopic: placed\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2,3",
                "\tTopic: placed\tPartition: 2\tLeader: 3\tReplicas: 3,1\tIsr: 3,1"), described.partitionLines("placed"));
        Result under = tool("topics", "--describe", "--under-replicated-partitions");
        assertEquals(0, under.exitCode(), under.err());
        assertEquals("", under.out().strip(), "nothing is under-replicated yet");

        Result unknownBroker = tool("topics", "--create", "--topic", "nowhere", "--replica-assignment", "1:9");
        assertEquals(1, unknownBroker.exitCode(), unknownBroker.out());
        assertTrue(unknownBroker.err().startsWith("Error while executing topic command : "), unknownBroker.err());
        Result uneven = tool("topics", "--create", "--topic", "nowhere", "--replica-assignment", "1:2,3");
        assertEquals(1, uneven.exitCode());
        assertTrue(uneven.err().contains("Partition 1 has different replication factor: 3"), uneven.err());
    }

    @Test
    @Order(2)
    void describeFiltersListUnderReplicatedAndUnavailablePartitionsWhileABrokerIsDown() throws Exception {
        assertEquals(0, tool("topics", "--create", "--topic", "lonely", "--replica-assignment", "3").exitCode());
        await("lonely led", Duration.ofSeconds(30), () -> leader("lonely", 0) == 3);
        cluster.kill(3);
        await("broker 3 gone from the ISRs", Duration.ofSeconds(40), () -> describe("placed").partitions().stream()
                .noneMatch(p -> p.isr().stream().anyMatch(n -> n.id() == 3)));

        Result under = tool("topics", "--describe", "--under-replicated-partitions", "--topic", "placed");
        assertEquals(0, under.exitCode(), under.err());
        assertFalse(under.out().contains("PartitionCount"), "a filtered describe prints partitions only: " + under.out());
        List<String> lines = under.partitionLines("placed");
        assertEquals(2, lines.size(), under.out());
        assertTrue(lines.get(0).startsWith("\tTopic: placed\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2"), under.out());
        assertTrue(lines.get(1).startsWith("\tTopic: placed\tPartition: 2\tLeader: 1\tReplicas: 3,1\tIsr: 1"), under.out());

        Result unavailable = tool("topics", "--describe", "--unavailable-partitions");
        assertEquals(0, unavailable.exitCode(), unavailable.err());
        assertEquals(1, unavailable.partitionLines("lonely").size(), unavailable.out());
        assertTrue(unavailable.out().contains("\tTopic: lonely\tPartition: 0\tLeader: none\tReplicas: 3\t"),
                unavailable.out());
        assertEquals(List.of(), unavailable.partitionLines("placed"), "placed is led everywhere");

        cluster.restart(3);
        await("lonely led again", Duration.ofSeconds(40), () -> leader("lonely", 0) == 3);
        Result none = tool("topics", "--describe", "--unavailable-partitions", "--topic", "lonely");
        assertEquals("", none.out().strip());
    }

    @Test
    @Order(3)
    void describeLogDirsReportsEachBrokersDirAndItsReplicas() throws Exception {
        try (FjordAdmin admin = admin()) {
            Map<Integer, CompletableFuture<Map<String, LogDirDescription>>> dirs = admin.describeLogDirs(List.of(1, 2, 3, 9));
            for (int id = 1; id <= 3; id++) {
                Map<String, LogDirDescription> byPath = dirs.get(id).get();
                assertEquals(1, byPath.size(), "broker " + id + ": " + byPath);
                LogDirDescription dir = byPath.values().iterator().next();
                assertEquals(Errors.NONE, dir.error());
                assertTrue(dir.totalBytes() > 0 && dir.usableBytes() > 0 && dir.usableBytes() <= dir.totalBytes(),
                        dir.toString());
                // Broker b holds partition b-1 of placed (1:2,2:3,3:1) as its first replica.
                LogDirDescription.ReplicaInfo replica = dir.replicas().get(new TopicPartition("placed", id - 1));
                assertTrue(replica != null && replica.size() >= 0 && !replica.isFuture(), dir.replicas().toString());
            }
            ExecutionException missing = assertThrows(ExecutionException.class, () -> dirs.get(9).get());
            assertEquals(Errors.BROKER_NOT_AVAILABLE, errorOf(missing));
        }
    }

    @Test
    @Order(4)
    void reassignPartitionsGeneratesExecutesVerifiesAndCancels() throws Exception {
        assertEquals(0, tool("topics", "--create", "--topic", "moving", "--replica-assignment", "1:2,2:3").exitCode());
        await("moving in sync", Duration.ofSeconds(30), () -> describe("moving").partitions().stream()
                .allMatch(p -> p.leader().isPresent() && p.isr().size() == 2));

        Path topicsFile = Files.writeString(work.resolve("topics.json"), "{\"version\":1,\"topics\":[{\"topic\":\"moving\"}]}");
        Result generated = tool("reassign-partitions", "--generate", "--topics-to-move-json-file", topicsFile.toString(),
                "--broker-list", "1,2,3");
        assertEquals(0, generated.exitCode(), generated.err());
        List<String> lines = generated.out().lines().toList();
        assertEquals("Current partition replica assignment", lines.get(0));
        assertEquals("{\"version\":1,\"partitions\":[{\"topic\":\"moving\",\"partition\":0,\"replicas\":[1,2],"
                + "\"log_dirs\":[\"any\",\"any\"]},{\"topic\":\"moving\",\"partition\":1,\"replicas\":[2,3],"
                + "\"log_dirs\":[\"any\",\"any\"]}]}", lines.get(1));
        assertEquals("Proposed partition reassignment configuration", lines.get(3));
        Matcher proposed = Pattern.compile("\\{\"version\":1,\"partitions\":\\[\\{\"topic\":\"moving\",\"partition\":0,"
                + "\"replicas\":\\[([1-3]),([1-3])],\"log_dirs\":\\[\"any\",\"any\"]},\\{\"topic\":\"moving\",\"partition\":1,"
                + "\"replicas\":\\[([1-3]),([1-3])],\"log_dirs\":\\[\"any\",\"any\"]}]}").matcher(lines.get(4));
        assertTrue(proposed.matches(), lines.get(4));
        assertNotEquals(proposed.group(1), proposed.group(2));
        assertNotEquals(proposed.group(3), proposed.group(4));
        assertNotEquals(proposed.group(1), proposed.group(3), "consecutive partitions get consecutive leaders");

        // Dropping a replica that is in sync completes at once.
        Path shrink = Files.writeString(work.resolve("shrink.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"moving\",\"partition\":0,\"replicas\":[1],\"log_dirs\":[\"any\"]}]}");
        Result executed = tool("reassign-partitions", "--execute", "--reassignment-json-file", shrink.toString());
        assertEquals(0, executed.exitCode(), executed.err());
        assertTrue(executed.out().contains("{\"topic\":\"moving\",\"partition\":0,\"replicas\":[1,2],"), executed.out());
        assertTrue(executed.out().strip().endsWith("Successfully started partition reassignment for moving-0"),
                executed.out());
        await("moving-0 on broker 1 only", Duration.ofSeconds(30), () -> replicas("moving", 0).equals(List.of(1)));
        Result verified = tool("reassign-partitions", "--verify", "--reassignment-json-file", shrink.toString());
        assertEquals(0, verified.exitCode(), verified.err());
        assertTrue(verified.out().contains("Reassignment of partition moving-0 is completed."), verified.out());

        // Adding a replica completes once the new replica has caught up and joined the ISR.
        Path grow = Files.writeString(work.resolve("grow.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"moving\",\"partition\":1,\"replicas\":[2,3,1]}]}");
        assertEquals(0, tool("reassign-partitions", "--execute", "--reassignment-json-file", grow.toString()).exitCode());
        await("moving-1 on 2,3,1", Duration.ofSeconds(60), () -> replicas("moving", 1).equals(List.of(2, 3, 1))
                && describe("moving").partitions().get(1).isr().size() == 3);
        Result grown = tool("reassign-partitions", "--verify", "--reassignment-json-file", grow.toString());
        assertTrue(grown.out().contains("Reassignment of partition moving-1 is completed."), grown.out());

        // A replica on a frozen broker cannot catch up: that reassignment stays in progress until cancelled.
        // It is started through the admin API at once, while the frozen broker is still registered.
        Path stuck = Files.writeString(work.resolve("stuck.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"moving\",\"partition\":0,\"replicas\":[1,3]}]}");
        cluster.pause(3);
        try (FjordAdmin admin = admin(cluster.bootstrapOf(1))) {
            admin.alterPartitionReassignments(Map.of(new TopicPartition("moving", 0), Optional.of(List.of(1, 3))))
                    .values().iterator().next().get();
        }
        Result inProgress = tool("reassign-partitions", "--verify", "--reassignment-json-file", stuck.toString());
        assertTrue(inProgress.out().contains("Reassignment of partition moving-0 is still in progress."), inProgress.out());
        Result again = tool("reassign-partitions", "--execute", "--reassignment-json-file", shrink.toString());
        assertEquals(1, again.exitCode(), again.out());
        assertTrue(again.err().contains("Cannot execute because there is an existing partition assignment"), again.err());
        try (FjordAdmin admin = admin()) {
            TopicPartition moving0 = new TopicPartition("moving", 0);
            PartitionReassignment ongoing = admin.listPartitionReassignments(null).get().get(moving0);
            assertEquals(new PartitionReassignment(List.of(1, 3), List.of(3), List.of()), ongoing);
        }

        Result cancelled = tool("reassign-partitions", "--cancel", "--reassignment-json-file", stuck.toString());
        assertEquals(0, cancelled.exitCode(), cancelled.err());
        assertEquals("Successfully cancelled partition reassignment for: moving-0", cancelled.out().strip());
        await("moving-0 back on 1", Duration.ofSeconds(30), () -> replicas("moving", 0).equals(List.of(1)));
        Result after = tool("reassign-partitions", "--verify", "--reassignment-json-file", stuck.toString());
        assertTrue(after.out().contains("There is no active reassignment of partition moving-0, but replica set is"
                + " [1] rather than [1, 3]."), after.out());
        cluster.resume(3);
        cluster.awaitLiveBrokers(3);
        Result nothing = tool("reassign-partitions", "--cancel", "--reassignment-json-file", stuck.toString());
        assertEquals("None of the specified partition reassignments are active.", nothing.out().strip());
    }

    @Test
    @Order(5)
    void reassignmentErrorsArriveAsKafkasErrorsThroughTheFutures() throws Exception {
        try (FjordAdmin admin = admin()) {
            var results = admin.alterPartitionReassignments(Map.of(
                    new TopicPartition("moving", 1), Optional.empty(),
                    new TopicPartition("nosuch", 0), Optional.of(List.of(1)),
                    new TopicPartition("moving", 0), Optional.of(List.of(1, 1))));
            assertEquals(Errors.NO_REASSIGNMENT_IN_PROGRESS, errorOf(assertThrows(ExecutionException.class,
                    () -> results.get(new TopicPartition("moving", 1)).get())));
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, errorOf(assertThrows(ExecutionException.class,
                    () -> results.get(new TopicPartition("nosuch", 0)).get())));
            assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT, errorOf(assertThrows(ExecutionException.class,
                    () -> results.get(new TopicPartition("moving", 0)).get())));
        }
        Path bad = Files.writeString(work.resolve("bad.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"moving\",\"partition\":7,\"replicas\":[1]}]}");
        Result missing = tool("reassign-partitions", "--execute", "--reassignment-json-file", bad.toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("non-existent partitions: [moving-7]"), missing.err());
    }

    @Test
    @Order(6)
    void leaderElectionMovesLeadershipToThePreferredReplica() throws Exception {
        assertEquals(0, tool("topics", "--create", "--topic", "elect", "--replica-assignment", "1:2:3").exitCode());
        await("elect in sync", Duration.ofSeconds(30), () -> leader("elect", 0) == 1
                && describe("elect").partitions().get(0).isr().size() == 3);
        // Dropping replica 3 and putting 2 first keeps the leader (1), so the preferred replica (2) does not lead.
        Path reorder = Files.writeString(work.resolve("reorder.json"),
                "{\"version\":1,\"partitions\":[{\"topic\":\"elect\",\"partition\":0,\"replicas\":[2,1]}]}");
        assertEquals(0, tool("reassign-partitions", "--execute", "--reassignment-json-file", reorder.toString()).exitCode());
        await("elect-0 on 2,1", Duration.ofSeconds(30), () -> replicas("elect", 0).equals(List.of(2, 1)));
        assertEquals(1, leader("elect", 0));

        Result elected = tool("leader-election", "--election-type", "preferred", "--topic", "elect", "--partition", "0");
        assertEquals(0, elected.exitCode(), elected.out() + elected.err());
        assertEquals("Successfully completed leader election (PREFERRED) for partitions elect-0", elected.out().strip());
        await("broker 2 leads elect-0", Duration.ofSeconds(30), () -> leader("elect", 0) == 2);

        Path file = Files.writeString(work.resolve("elect.json"),
                "{\"partitions\":[{\"topic\":\"elect\",\"partition\":0},{\"topic\":\"placed\",\"partition\":0}]}");
        Result noop = tool("leader-election", "--election-type", "PREFERRED", "--path-to-json-file", file.toString());
        assertEquals(0, noop.exitCode(), noop.err());
        assertEquals("Valid replica already elected for partitions elect-0, placed-0", noop.out().strip());

        Result unknown = tool("leader-election", "--election-type", "preferred", "--topic", "nosuch", "--partition", "0");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.out().contains("Error completing leader election (PREFERRED) for partition: nosuch-0: "
                + "UNKNOWN_TOPIC_OR_PARTITION"), unknown.out());
        assertTrue(unknown.err().contains("1 replica(s) could not be elected"), unknown.err());

        try (FjordAdmin admin = admin()) {
            // All partitions: only those elected or failed are answered. placed-2's preferred replica (3)
            // left its ISR when killed, caught up after its restart and leads again.
            await("broker 3 back in placed-2's ISR", Duration.ofSeconds(60),
                    () -> describe("placed").partitions().get(2).isr().stream().anyMatch(n -> n.id() == 3));
            Map<TopicPartition, Optional<Throwable>> all = admin.electLeaders(ElectionType.PREFERRED, null).get();
            assertEquals(Map.of(new TopicPartition("placed", 2), Optional.empty()), all);
            await("broker 3 leads placed-2", Duration.ofSeconds(30), () -> leader("placed", 2) == 3);
        }
    }

    /** The controller-bound calls reach the controller from a client that only knows another broker. */
    @Test
    @Order(7)
    void controllerCallsFindTheControllerThroughAnyBroker() throws Exception {
        ClusterDescription description;
        try (FjordAdmin admin = admin()) {
            description = admin.describeCluster().get();
        }
        int controller = description.controller().orElseThrow().id();
        Node other = description.nodes().stream().filter(n -> n.id() != controller).findFirst().orElseThrow();
        try (FjordAdmin admin = admin(other.host() + ":" + other.port())) {
            TopicPartition tp = new TopicPartition("placed", 1);
            Map<TopicPartition, Optional<Throwable>> results = admin.electLeaders(ElectionType.PREFERRED, Set.of(tp)).get();
            Throwable noop = results.get(tp).orElseThrow();
            assertEquals(Errors.ELECTION_NOT_NEEDED, assertInstanceOf(ClientException.class, noop).error());
            assertEquals(Map.of(), admin.listPartitionReassignments(Set.of(tp)).get());
        }
    }

    /** A call made as the controller dies waits for the next one (through lost connections and NOT_CONTROLLER). */
    @Test
    @Order(8)
    void controllerCallsOutliveTheControllersDeath() throws Exception {
        ClusterDescription description;
        try (FjordAdmin admin = admin()) {
            description = admin.describeCluster().get();
        }
        int controller = description.controller().orElseThrow().id();
        String survivors = String.join(",", description.nodes().stream().filter(n -> n.id() != controller)
                .map(n -> n.host() + ":" + n.port()).toList());
        try (FjordAdmin admin = admin(survivors)) {
            cluster.kill(controller);
            assertEquals(Map.of(), admin.listPartitionReassignments(null).get());
            await("a new controller named", Duration.ofSeconds(30), () -> admin.describeCluster().get().controller()
                    .map(n -> n.id() != controller).orElse(false));
        } finally {
            cluster.restart(controller);
        }
    }
}
