/**
 * Partition logs on disk in Kafka's format: segments ({@code .log}, {@code .index},
 * {@code .timeindex}), append with validation, zero-copy reads, roll, recovery, retention,
 * checkpoints and producer (idempotence) state, and the manager of every log of a broker.
 */
module io.fjord.log {
    requires transitive io.fjord.api;
    // Transitive: logs are built over the shared clock and scheduler.
    requires transitive io.fjord.common;
    requires transitive io.fjord.protocol;
    // Background-task failures are reported through the JDK's logging, the only logger the
    // module graph allows without adding a dependency.
    requires java.logging;

    exports io.fjord.log;
}
