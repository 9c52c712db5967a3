/**
 * The plugin contract ({@link io.fjord.api.Plugin}) and the value types shared by every
 * extension point: {@link io.fjord.api.TopicPartition}, {@link io.fjord.api.Cluster} and its
 * {@link io.fjord.api.Node}s and {@link io.fjord.api.PartitionInfo}s, record
 * {@link io.fjord.api.Headers}.
 *
 * <p>The shapes follow Apache Kafka's client API, so a Kafka plugin ports by changing imports
 * and adding {@link io.fjord.api.Plugin#name()}.
 */
package io.fjord.api;
