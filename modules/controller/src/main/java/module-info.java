/**
 * Cluster metadata: topics with their ids, partition assignment and leadership, per-topic
 * configs, the {@link io.fjord.controller.MetadataStore} SPI and the built-in single-node store
 * that persists all of it in the log dir.
 */
module io.fjord.controller {
    // The shared value types (ConfigException for start-up configuration errors).
    requires transitive io.fjord.api;
    // Kafka's error codes, carried by MetadataException and answered on the wire by the broker.
    requires transitive io.fjord.protocol;

    exports io.fjord.controller;
    // The coordination SPI a cluster runs on; engines (ZooKeeper) implement it in plugins.
    exports io.fjord.controller.coordination;
}
