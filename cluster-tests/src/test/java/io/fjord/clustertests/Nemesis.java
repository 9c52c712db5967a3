package io.fjord.clustertests;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.fjord.clustertests.FjordCluster.await;

/**
 * The faults of the fault tests, each one round of harm and its healing on a {@link FjordCluster}:
 * kill -9 a partition's leader or the controller, SIGTERM-bounce a broker, freeze a leader past
 * its ZooKeeper session with kill -STOP. Every wait is on what the cluster reports through a fresh
 * admin client (one that knows only the brokers alive now), with a deadline.
 */
final class Nemesis {

    /** Detection (the 6 s ZooKeeper session), election, a restart and catching up, on a loaded machine. */
    static final Duration HEAL = Duration.ofSeconds(60);

    private final FjordCluster cluster;
    private final String topic;

    Nemesis(FjordCluster cluster, String topic) {
        this.cluster = cluster;
        this.topic = topic;
    }

    private TopicDescription describe() throws Exception {
        Admin admin = cluster.quickAdmin();
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    /** Each partition's replicas, as the controller assigned them. */
    Map<Integer, List<Integer>> assignment() throws Exception {
        Map<Integer, List<Integer>> out = new HashMap<>();
        for (TopicPartitionInfo p : describe().partitions()) {
            out.put(p.partition(), p.replicas().stream().map(Node::id).toList());
        }
        return out;
    }

    /** Each partition's leader, ISR and latest offset now, for a failure message; the error if they cannot be read. */
    String describeForFailure() {
        try {
            Admin admin = cluster.quickAdmin();
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                List<TopicPartitionInfo> partitions = describe().partitions();
                partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                StringBuilder text = new StringBuilder();
                for (TopicPartitionInfo p : partitions) {
                    text.append(p.partition()).append(": leader ").append(p.leader() == null ? -1 : p.leader().id())
                            .append(", isr ").append(p.isr().stream().map(Node::id).toList()).append(", latest offset ")
                            .append(ends.get(new TopicPartition(topic, p.partition())).offset()).append("; ");
                }
                return text.toString();
            } finally {
                admin.close(Duration.ofSeconds(1));
            }
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    /** The leader of {@code partition} now, -1 when it has none. */
    int leader(int partition) throws Exception {
        Node leader = describe().partitions().get(partition).leader();
        return leader == null ? -1 : leader.id();
    }

    int controller() throws Exception {
        Admin admin = cluster.quickAdmin();
        try {
            return admin.describeCluster().controller().get(10, TimeUnit.SECONDS).id();
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    /** Waits until {@code partition} is led by a broker other than {@code old}. */
    int awaitLeaderOtherThan(int partition, int old) throws InterruptedException {
        int[] now = {-1};
        await("a leader of " + topic + "-" + partition + " other than " + old, HEAL, () -> {
            now[0] = leader(partition);
            return now[0] >= 0 && now[0] != old;
        });
        return now[0];
    }

    /** Waits until every partition has a leader and all its replicas in the ISR. */
    void awaitFullIsr() throws InterruptedException {
        await("every partition of " + topic + " led with its full ISR", HEAL, () -> describe().partitions().stream()
                .allMatch(p -> p.leader() != null && p.isr().size() == p.replicas().size()));
    }

    /** Waits until every partition is led by {@code broker} with an ISR of that broker alone. */
    void awaitIsrOf(int broker) throws InterruptedException {
        await("every partition of " + topic + " led by " + broker + " alone", HEAL, () -> describe().partitions().stream()
                .allMatch(p -> p.leader() != null && p.leader().id() == broker && p.isr().size() == 1));
    }

    /** kill -9 the leader of {@code partition}, wait for another leader, restart it, wait for the full ISR. */
    void killLeader(int partition) throws Exception {
        int victim = leader(partition);
        cluster.kill(victim);
        awaitLeaderOtherThan(partition, victim);
        cluster.restart(victim);
        awaitFullIsr();
    }

    /** kill -9 the controller, wait for another, restart it, wait for the full ISR. */
    void killController() throws Exception {
        int victim = controller();
        cluster.kill(victim);
        await("a controller other than " + victim, HEAL, () -> controller() != victim);
        cluster.restart(victim);
        awaitFullIsr();
    }

    /** SIGTERM (a controlled shutdown) and restart of {@code broker}, then the full ISR. */
    void bounce(int broker) throws Exception {
        cluster.stop(broker);
        cluster.restart(broker);
        awaitFullIsr();
    }

    /**
     * kill -STOP the leader of {@code partition} until another broker leads it (its ZooKeeper
     * session expired), then kill -CONT; the old leader learns it was deposed only afterwards.
     */
    void pauseLeader(int partition, Workload workload) throws Exception {
        int victim = leader(partition);
        cluster.pause(victim);
        try {
            awaitLeaderOtherThan(partition, victim);
            int acked = workload.history().ackCount();
            await("acknowledgements from the new leaders", HEAL, () -> workload.history().ackCount() > acked + 20);
        } catch (AssertionError e) {
            System.out.println("---- while broker " + victim + " is frozen");
            cluster.printOutputs(100);
            throw e;
        } finally {
            cluster.resume(victim);
        }
        awaitFullIsr();
    }
}
