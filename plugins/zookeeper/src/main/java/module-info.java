/**
 * The coordination engine of a Fjord cluster on Apache ZooKeeper, with Kafka's ZooKeeper-mode
 * layout, and the ZooKeeper server {@code fjord zookeeper} runs. ZooKeeper and Curator are
 * automatic modules, so they live in this plugin's folder, never in the image.
 */
module io.fjord.plugin.zookeeper {
    // The coordination SPI this plugin implements, and ConfigException.
    requires io.fjord.controller;
    // ZooKeeper's client and server, merged with its jute classes into one jar (zookeeper-modular).
    requires org.apache.zookeeper;
    // Curator: session handling over ZooKeeper's client, and its transactions.
    requires curator.framework;
    requires curator.client;

    provides io.fjord.controller.coordination.CoordinationEngine
            with io.fjord.plugin.zookeeper.ZooKeeperEngine;
    provides io.fjord.controller.coordination.CoordinationServer
            with io.fjord.plugin.zookeeper.ZooKeeperCoordinationServer;
}
