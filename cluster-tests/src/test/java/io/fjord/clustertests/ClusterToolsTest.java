package io.fjord.clustertests;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.fjord.clustertests.FjordCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka's own command-line tools against a three-broker Fjord cluster, each run as its own process
 * as its shell script would run it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterToolsTest {

    private static FjordCluster cluster;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        cluster = FjordCluster.start(3, Map.of());
    }

    /** Brings back any broker a test killed, so a failure does not cascade. */
    @AfterEach
    void restoreBrokers() throws Exception {
        for (int id : cluster.ids()) {
            if (!cluster.node(id).alive()) {
                cluster.restart(id);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Result(int exitCode, String out) {
    }

    private Result tool(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "tool", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), mainClass + " did not finish");
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private Result topics(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", cluster.bootstrap()));
        all.addAll(List.of(args));
        return tool("org.apache.kafka.tools.TopicCommand", all.toArray(String[]::new));
    }

    private static TopicDescription describe(String topic) throws Exception {
        try (Admin admin = cluster.admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        }
    }

    @Test
    @Order(1)
    void kafkaTopicsCreatesWithAReplicationFactorOrAnAssignmentAndDescribesLeaders() throws Exception {
        Result created = topics("--create", "--topic", "tools", "--partitions", "3", "--replication-factor", "3");
        assertEquals(0, created.exitCode(), created.out());
        assertTrue(created.out().contains("Created topic tools."), created.out());
        Result manual = topics("--create", "--topic", "manual", "--replica-assignment", "1:2,2:3,3:1");
        assertEquals(0, manual.exitCode(), manual.out());
        await("leaders of manual", Duration.ofSeconds(30), () -> describe("manual").partitions().stream()
                .allMatch(p -> p.leader() != null));
        assertEquals(List.of(2, 3), describe("manual").partitions().get(1).replicas().stream().map(n -> n.id()).toList());

        Result described = topics("--describe", "--topic", "manual");
        assertEquals(0, described.exitCode(), described.out());
        assertTrue(described.out().contains("Partition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2,3"), described.out());
        Result under = topics("--describe", "--under-replicated-partitions");
        assertEquals("", under.out().strip(), "nothing is under-replicated yet");
    }

    @Test
    @Order(2)
    void underReplicatedAndUnavailablePartitionsAreListedAfterABrokerDies() throws Exception {
        topics("--create", "--topic", "lonely", "--replica-assignment", "3");
        await("lonely led", Duration.ofSeconds(30), () -> describe("lonely").partitions().get(0).leader() != null);
        cluster.kill(3);
        await("broker 3 gone from the ISRs", Duration.ofSeconds(40), () -> describe("tools").partitions().stream()
                .noneMatch(p -> p.isr().stream().anyMatch(n -> n.id() == 3)));
        Result under = topics("--describe", "--under-replicated-partitions", "--topic", "tools");
        assertEquals(3, under.out().lines().filter(l -> l.contains("Topic: tools")).count(), under.out());
        Result unavailable = topics("--describe", "--unavailable-partitions");
        assertTrue(unavailable.out().contains("Topic: lonely\tPartition: 0\tLeader: none"), unavailable.out());
        cluster.restart(3);
        await("lonely led again", Duration.ofSeconds(40), () -> describe("lonely").partitions().get(0).leader() != null);
    }

    @Test
    @Order(3)
    void kafkaReassignPartitionsGeneratesExecutesAndVerifies() throws Exception {
        Path topicsFile = work.resolve("topics.json");
        Files.writeString(topicsFile, "{\"version\":1,\"topics\":[{\"topic\":\"manual\"}]}");
        Result generated = tool("org.apache.kafka.tools.reassign.ReassignPartitionsCommand", "--bootstrap-server",
                cluster.bootstrap(), "--topics-to-move-json-file", topicsFile.toString(), "--broker-list", "1,2",
                "--generate");
        assertEquals(0, generated.exitCode(), generated.out());
        assertTrue(generated.out().contains("Current partition replica assignment")
                && generated.out().contains("Proposed partition reassignment configuration"), generated.out());

        // Moving partition 0 off broker 2 needs no copy of data: its other replica is in sync.
        Path plan = work.resolve("plan.json");
        Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"manual\",\"partition\":0,\"replicas\":[1]}]}");
        Result executed = tool("org.apache.kafka.tools.reassign.ReassignPartitionsCommand", "--bootstrap-server",
                cluster.bootstrap(), "--reassignment-json-file", plan.toString(), "--execute");
        assertEquals(0, executed.exitCode(), executed.out());
        assertTrue(executed.out().contains("Successfully started partition reassignment"), executed.out());
        await("the reassignment done", Duration.ofSeconds(30), () ->
                describe("manual").partitions().get(0).replicas().stream().map(n -> n.id()).toList().equals(List.of(1)));
        Result verified = tool("org.apache.kafka.tools.reassign.ReassignPartitionsCommand", "--bootstrap-server",
                cluster.bootstrap(), "--reassignment-json-file", plan.toString(), "--verify");
        assertEquals(0, verified.exitCode(), verified.out());
        assertTrue(verified.out().contains("Reassignment of partition manual-0 is completed."), verified.out());
    }

    @Test
    @Order(4)
    void kafkaLeaderElectionAnswersAsKafkaForEachPartition() throws Exception {
        Result already = tool("org.apache.kafka.tools.LeaderElectionCommand", "--bootstrap-server", cluster.bootstrap(),
                "--election-type", "preferred", "--topic", "manual", "--partition", "1");
        assertEquals(0, already.exitCode(), already.out());
        assertTrue(already.out().contains("Valid replica already elected for partitions manual-1"), already.out());
        // Broker 3 came back after its kill and rejoins the ISR once its fetcher has caught up; then
        // the preferred election gives it its partition back.
        await("broker 3 back in manual-2's ISR", Duration.ofSeconds(60),
                () -> describe("manual").partitions().get(2).isr().stream().anyMatch(n -> n.id() == 3));
        Result elected = tool("org.apache.kafka.tools.LeaderElectionCommand", "--bootstrap-server",
                cluster.bootstrap(), "--election-type", "preferred", "--topic", "manual", "--partition", "2");
        assertEquals(0, elected.exitCode(), elected.out());
        assertTrue(elected.out().contains("Successfully completed leader election (PREFERRED) for partitions manual-2"),
                elected.out());
    }

    @Test
    @Order(5)
    void kafkaLogDirsDescribesEveryBroker() throws Exception {
        Result dirs = tool("org.apache.kafka.tools.LogDirsCommand", "--bootstrap-server", cluster.bootstrap(),
                "--describe", "--broker-list", "1,2,3", "--topic-list", "tools");
        assertEquals(0, dirs.exitCode(), dirs.out());
        for (int id = 1; id <= 3; id++) {
            assertTrue(dirs.out().contains("\"broker\":" + id), dirs.out());
        }
        assertTrue(dirs.out().contains("\"partition\":\"tools-0\""), dirs.out());
    }
}
