/**
 * Producer-side extension points, shaped after Kafka's {@code org.apache.kafka.clients.producer}:
 * {@link io.fjord.api.producer.Partitioner} and {@link io.fjord.api.producer.ProducerInterceptor},
 * with the records they see.
 */
package io.fjord.api.producer;
