/**
 * A Fjord cluster on a coordination engine: the controller (membership, replica placement, leader
 * election, topic deletion, reassignment, controlled shutdown, AlterPartition) and the broker's
 * side of it.
 */
module io.fjord.cluster {
    // The metadata images, the MetadataStore SPI and the coordination SPI the cluster runs on.
    requires transitive io.fjord.controller;
    // Time and scheduling.
    requires io.fjord.common;
    // The one network client: controller requests to brokers, broker requests to the controller.
    requires io.fjord.client;
    // The stored state is Kafka's ZooKeeper-mode JSON.
    requires com.fasterxml.jackson.jr.ob;
    // Controller and membership events are logged through the JDK, as the broker does.
    requires java.logging;

    exports io.fjord.cluster.controller;

    exports io.fjord.cluster;
    exports io.fjord.cluster.state;
}
