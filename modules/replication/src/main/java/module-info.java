/**
 * Partitions and replicas: each partition's leader epoch, in-sync replicas and high watermark,
 * the replica manager that appends produced batches under the acks and {@code min.insync.replicas}
 * rules and reads fetched ones (up to the high watermark for consumers, the log end for
 * followers), the follower fetchers that copy a leader's log and truncate where it diverges, the
 * ISR changes a leader proposes, and the delayed produce and delayed fetch operations parked in
 * the purgatories. With one broker every partition is a leader whose ISR is itself.
 */
module io.fjord.replication {
    requires transitive io.fjord.log;
    requires transitive io.fjord.timer;
    requires transitive io.fjord.protocol;
    // Follower fetches go to leaders over the one network client.
    requires io.fjord.client;
    requires java.logging;

    exports io.fjord.replication;
}
