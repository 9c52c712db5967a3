/**
 * The single-node broker: its configuration from a Kafka-style {@code server.properties}, the
 * wiring of the network, replication, log, metadata and group coordinator modules, the request dispatch by API key
 * and the lifecycle (start, clean shutdown).
 */
module io.fjord.broker {
    // Transitive: BrokerConfig hands out the network's, the controller's and the group
    // coordinator's settings records.
    requires transitive io.fjord.network;
    requires transitive io.fjord.controller;
    requires transitive io.fjord.coordinator;
    requires io.fjord.replication;
    // Failures of background work and of single requests are reported through the JDK's logging,
    // as the log module does, without adding a logging dependency.
    requires java.logging;

    exports io.fjord.broker;
}
