/**
 * Consumer-side extension points, shaped after Kafka's {@code org.apache.kafka.clients.consumer}:
 * {@link io.fjord.api.consumer.ConsumerInterceptor} and
 * {@link io.fjord.api.consumer.PartitionAssignor}, with the records and group types they see.
 */
package io.fjord.api.consumer;
