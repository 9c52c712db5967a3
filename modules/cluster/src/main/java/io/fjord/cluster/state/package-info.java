/**
 * The cluster state as the coordination store holds it, one class per stored shape, each reading
 * and writing Kafka's ZooKeeper-mode JSON.
 */
package io.fjord.cluster.state;
