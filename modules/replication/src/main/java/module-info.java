/**
 * Partitions and replicas: each partition's leader epoch, in-sync replicas and high watermark,
 * the replica manager that appends produced batches under the acks and {@code min.insync.replicas}
 * rules and reads fetched ones up to the high watermark, and the delayed produce and delayed
 * fetch operations parked in the purgatories. With one broker every partition is a leader whose
 * ISR is itself.
 */
module io.fjord.replication {
    requires transitive io.fjord.log;
    requires transitive io.fjord.timer;
    requires transitive io.fjord.protocol;

    exports io.fjord.replication;
}
