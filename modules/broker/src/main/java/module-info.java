/**
 * The single-node broker: its configuration from a Kafka-style {@code server.properties}, the
 * wiring of the network, replication, log, metadata and group coordinator modules and of the
 * codecs the kernel loads, the request dispatch by API key and the lifecycle (start, clean
 * shutdown).
 */
module io.fjord.broker {
    // Transitive: BrokerConfig hands out the network's, the controller's and the group
    // coordinator's settings records.
    requires transitive io.fjord.network;
    requires transitive io.fjord.controller;
    requires transitive io.fjord.coordinator;
    // Transitive: Broker.pluginLoadErrors() hands out the kernel's PluginLoadError. Codecs, built-in
    // and from the plugins folder, are found through the kernel's plugin runtime.
    requires transitive io.fjord.kernel;
    requires io.fjord.replication;
    // A broker with zookeeper.connect is a cluster member: the controller, the metadata cache and
    // the coordination engine (a plugin) it runs on.
    requires io.fjord.cluster;
    uses io.fjord.controller.coordination.CoordinationEngine;
    // Failures of background work and of single requests are reported through the JDK's logging,
    // as the log module does, without adding a logging dependency.
    requires java.logging;

    exports io.fjord.broker;
}
