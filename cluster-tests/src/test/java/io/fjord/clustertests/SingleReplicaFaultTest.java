package io.fjord.clustertests;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault tests' whole machinery (workload, nemesis, logs read from disk, checker) on what the
 * cluster guarantees without replication: a topic whose partitions have one replica each, every
 * broker bounced with SIGTERM in turn. Each partition is offline while its broker restarts; the
 * idempotent producer retries, and nothing acknowledged may be lost, duplicated or reordered.
 */
class SingleReplicaFaultTest {

    @Test
    void aCleanBounceOfEachBrokerLosesNothingOnSingleReplicaPartitions() throws Exception {
        History history = FaultScenario.run((short) 1, (cluster, nemesis, workload) -> {
            for (int broker : cluster.ids()) {
                nemesis.bounce(broker);
            }
        });
        assertTrue(history.reads().size() >= 2 * history.ackCount(), "each consumer read everything: " + history);
    }
}
