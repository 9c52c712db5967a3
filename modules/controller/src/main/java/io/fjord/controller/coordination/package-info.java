/**
 * The coordination SPI a Fjord cluster runs on: a narrow, engine-neutral view of a small,
 * strongly consistent store (ZooKeeper is the engine Fjord ships, as a plugin).
 *
 * <p>What the cluster needs from it, and nothing more: broker registration that yields a broker
 * epoch and dies with the broker's session ({@link CoordinationSession#registerBroker}); controller
 * election that yields an epoch and a fencing token ({@link CoordinationSession#tryElectController});
 * versioned reads, conditional and atomic multi-writes, every write of a controller fenced by its
 * token ({@link CoordinationSession#write(ControllerLease, java.util.List)}); change watches;
 * sequential entries; and the cluster-wide producer-id blocks. Paths follow Kafka's ZooKeeper-mode
 * layout ({@link ClusterPaths}), so an operator who knew that layout recognises it.
 */
package io.fjord.controller.coordination;
