/**
 * The built-in partition assignors, found through
 * {@link io.fjord.api.consumer.PartitionAssignor}: {@code range}, {@code roundrobin},
 * {@code sticky} and {@code cooperative-sticky}, with Kafka's names and semantics so Fjord and
 * Kafka consumers can share a group.
 */
package io.fjord.assignors;
