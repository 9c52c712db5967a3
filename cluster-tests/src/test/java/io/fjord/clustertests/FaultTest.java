package io.fjord.clustertests;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.fjord.clustertests.FjordCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Zero loss under failures, Jepsen style: each test runs the {@link Workload} on a topic at
 * replication factor 3 with {@code min.insync.replicas=2} through {@link FaultScenario#rounds()}
 * rounds of one fault, heals the cluster, and lets the {@link HistoryChecker} judge the history
 * against every replica's log on disk. They need replication between brokers, hence the tag.
 */
@Tag("replication")
class FaultTest {

    private static final short RF = 3;

    @Test
    void killingPartitionLeadersLosesNothingAcknowledged() throws Exception {
        FaultScenario.run(RF, (cluster, nemesis, workload) -> {
            for (int round = 0; round < FaultScenario.rounds(); round++) {
                nemesis.killLeader(round % FaultScenario.PARTITIONS);
                FaultScenario.awaitProgress(workload.history(), "after round " + round);
            }
        });
    }

    @Test
    void killingTheControllerLosesNothingAcknowledged() throws Exception {
        FaultScenario.run(RF, (cluster, nemesis, workload) -> {
            for (int round = 0; round < FaultScenario.rounds(); round++) {
                nemesis.killController();
                FaultScenario.awaitProgress(workload.history(), "after round " + round);
            }
        });
    }

    @Test
    void aCleanBounceOfEachBrokerInTurnLosesNothingAcknowledged() throws Exception {
        FaultScenario.run(RF, (cluster, nemesis, workload) -> {
            for (int round = 0; round < FaultScenario.rounds(); round++) {
                for (int broker : cluster.ids()) {
                    nemesis.bounce(broker);
                }
                FaultScenario.awaitProgress(workload.history(), "after round " + round);
            }
        });
    }

    /** The frozen leader's ZooKeeper session expires; when it runs on, it must acknowledge nothing more. */
    @Test
    void aLeaderFrozenPastItsSessionAcknowledgesNothingAfterItWasDeposed() throws Exception {
        FaultScenario.run(RF, (cluster, nemesis, workload) -> {
            for (int round = 0; round < FaultScenario.rounds(); round++) {
                nemesis.pauseLeader(round % FaultScenario.PARTITIONS, workload);
                FaultScenario.awaitProgress(workload.history(), "after round " + round);
            }
        });
    }

    /**
     * With two of three brokers down the ISR is the survivor alone, below min.insync.replicas: an
     * acks=all produce fails with NOT_ENOUGH_REPLICAS and nothing is acknowledged until the others
     * are back, and what was acknowledged before survives.
     */
    @Test
    void withTwoBrokersDownWritesAreRefusedAndNothingAcknowledgedIsLost() throws Exception {
        FaultScenario.run(RF, (cluster, nemesis, workload) -> {
            for (int round = 0; round < FaultScenario.rounds(); round++) {
                List<Integer> ids = cluster.ids();
                int survivor = ids.get(round % ids.size());
                List<Integer> down = ids.stream().filter(id -> id != survivor).toList();
                for (int id : down) {
                    cluster.kill(id);
                }
                nemesis.awaitIsrOf(survivor);
                assertProduceRefusedForLackOfReplicas(cluster);
                int acked = workload.history().ackCount();
                int sent = workload.history().sent().size();
                await("more sends while the ISR is too small", Nemesis.HEAL,
                        () -> workload.history().sent().size() > sent + 20);
                assertEquals(acked, workload.history().ackCount(), "acknowledged with an ISR of one");
                for (int id : down) {
                    cluster.restart(id);
                }
                nemesis.awaitFullIsr();
                FaultScenario.awaitProgress(workload.history(), "after round " + round);
            }
        });
    }

    /** A producer without retries sees the broker's own answer; each probe value is unique, as the checker wants. */
    private static void assertProduceRefusedForLackOfReplicas(FjordCluster cluster) throws InterruptedException {
        Properties p = Workload.producerConfig(cluster.bootstrap());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.RETRIES_CONFIG, "0");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        try (KafkaProducer<String, String> probe = new KafkaProducer<>(p)) {
            await("a produce refused with NOT_ENOUGH_REPLICAS", Duration.ofSeconds(30), () -> {
                String value = "probe-" + System.nanoTime();
                try {
                    probe.send(new ProducerRecord<>(FaultScenario.TOPIC, 0, null, value)).get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof NotEnoughReplicasException) {
                        return true;
                    }
                    throw new IllegalStateException("refused with " + e.getCause(), e.getCause());
                }
                throw new IllegalStateException(value + " was acknowledged by an ISR of one");
            });
        }
    }
}
