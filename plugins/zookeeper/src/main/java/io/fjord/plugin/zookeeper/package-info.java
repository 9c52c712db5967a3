/**
 * Fjord's coordination SPI on Apache ZooKeeper, through Curator, with the znode layout and the
 * fencing of Kafka's ZooKeeper mode: broker registrations are ephemeral znodes whose creation zxid
 * is the broker epoch, the controller is an ephemeral {@code /controller} written in one multi with
 * a bump of {@code /controller_epoch}, whose znode version then fences every controller write.
 */
package io.fjord.plugin.zookeeper;
