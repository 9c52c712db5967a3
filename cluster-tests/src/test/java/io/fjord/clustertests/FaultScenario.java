package io.fjord.clustertests;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.fjord.clustertests.FjordCluster.await;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One fault test from start to verdict: three brokers, a topic of {@value #PARTITIONS} partitions
 * at replication factor {@code replicationFactor} with {@code min.insync.replicas=2} (1 for a
 * single replica) and no unclean elections, the {@link Workload} running throughout, the faults, then healing (every broker up,
 * full ISR, producer closed, consumers caught up), a clean stop of every broker and the
 * {@link HistoryChecker} over the history and the replicas' logs read from disk.
 */
final class FaultScenario {

    static final int PARTITIONS = 3;
    static final String TOPIC = "jepsen";

    /** Rounds of each fault: 1 in CI, more by {@code -Dfjord.faults.rounds=N}. */
    static int rounds() {
        return Integer.getInteger("fjord.faults.rounds", 1);
    }

    /** The faults of a test, given the cluster, its nemesis and the running workload. */
    interface Faults {
        void inflict(FjordCluster cluster, Nemesis nemesis, Workload workload) throws Exception;
    }

    private FaultScenario() {
    }

    /** Runs {@code faults} against a fresh cluster and checks the outcome; returns the history for more checks. */
    static History run(short replicationFactor, Faults faults) throws Exception {
        try (FjordCluster cluster = FjordCluster.start(3, Map.of("min.insync.replicas", "2",
                "unclean.leader.election.enable", "false", "offsets.topic.num.partitions", "1"))) {
            // A broker is up before the controller has its registration; a topic of three replicas needs all three.
            cluster.awaitLiveBrokers(3);
            try (Admin admin = cluster.admin()) {
                // min.insync.replicas=2 where there are two replicas to count; a lone replica is its own quorum.
                String minIsr = replicationFactor > 1 ? "2" : "1";
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, replicationFactor).configs(Map.of(
                        "min.insync.replicas", minIsr, "unclean.leader.election.enable", "false"))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            try {
                return runOn(cluster, faults);
            } catch (Throwable t) {
                cluster.printOutputs(200);
                throw t;
            }
        }
    }

    private static History runOn(FjordCluster cluster, Faults faults) throws Exception {
        {
            Nemesis nemesis = new Nemesis(cluster, TOPIC);
            nemesis.awaitFullIsr();
            History history;
            Map<Integer, List<Integer>> assignment;
            AssertionError notCaughtUp = null;
            try (Workload workload = new Workload(TOPIC, PARTITIONS, cluster::bootstrap).start(2)) {
                history = workload.history();
                awaitProgress(history, "before the faults");
                faults.inflict(cluster, nemesis, workload);
                nemesis.awaitFullIsr();
                awaitProgress(history, "after healing");
                workload.stopProducing();
                try {
                    awaitConsumersCaughtUp(history);
                } catch (AssertionError e) {
                    // A consumer that skipped or lost its place never catches up: the checker says why.
                    notCaughtUp = new AssertionError(e.getMessage() + "; consumers: " + workload.consumerStates()
                            + "; partitions: " + nemesis.describeForFailure(), e);
                }
                workload.stopConsuming();
                assertNull(workload.clientFailure(), () -> "a client died: " + workload.clientFailure());
                assignment = nemesis.assignment();
            }
            cluster.stopAll();
            List<ReplicaLogs.Replica> replicas = new ArrayList<>();
            for (int broker : cluster.ids()) {
                for (ReplicaLogs.Replica r : ReplicaLogs.read(broker, cluster.node(broker).dataDir, TOPIC, PARTITIONS)) {
                    if (assignment.get(r.partition()).contains(broker)) {
                        replicas.add(r);
                    }
                }
            }
            System.out.println("fault scenario: " + history + ", " + history.failures().size() + " sends failed");
            HistoryChecker.assertConsistent(history, replicas, PARTITIONS);
            if (notCaughtUp != null) {
                throw notCaughtUp;
            }
            return history;
        }
    }

    /** Waits for at least 50 more acknowledgements: the cluster serves writes. */
    static void awaitProgress(History history, String when) throws InterruptedException {
        int before = history.ackCount();
        await("50 acknowledgements " + when, Nemesis.HEAL, () -> history.ackCount() >= before + 50);
    }

    /** Waits until each consumer has read every acknowledged value. */
    private static void awaitConsumersCaughtUp(History history) throws InterruptedException {
        Set<String> acked = new HashSet<>();
        history.acks().forEach(a -> acked.add(a.value()));
        try {
            await("the consumers to read all " + acked.size() + " acknowledged values", Duration.ofSeconds(60), () -> {
                Map<String, Set<String>> read = valuesReadByConsumer(history);
                return read.size() == 2 && read.values().stream().allMatch(s -> s.containsAll(acked));
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + missingReads(history), e);
        }
        assertTrue(acked.size() > 0, "nothing was acknowledged");
    }

    private static Map<String, Set<String>> valuesReadByConsumer(History history) {
        Map<String, Set<String>> read = new TreeMap<>();
        history.reads().forEach(r -> read.computeIfAbsent(r.consumer(), c -> new HashSet<>()).add(r.value()));
        return read;
    }

    /** For each consumer, how many acknowledged records it has not read, the first of them and how far it read. */
    private static String missingReads(History history) {
        Map<String, Set<String>> read = valuesReadByConsumer(history);
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Set<String>> consumer : read.entrySet()) {
            List<History.Ack> missing = history.acks().stream()
                    .filter(a -> !consumer.getValue().contains(a.value()))
                    .sorted(Comparator.comparingInt(History.Ack::partition).thenComparingLong(History.Ack::offset))
                    .toList();
            Map<Integer, Long> lastRead = new TreeMap<>();
            history.reads().stream().filter(r -> r.consumer().equals(consumer.getKey()))
                    .forEach(r -> lastRead.merge(r.partition(), r.offset(), Math::max));
            text.append(consumer.getKey()).append(" misses ").append(missing.size())
                    .append(missing.isEmpty() ? "" : " from " + missing.get(0))
                    .append(", last offset read per partition ").append(lastRead).append("; ");
        }
        return text.append("consumers that read anything: ").append(read.size()).toString();
    }
}
