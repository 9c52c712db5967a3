/**
 * Fjord's consumer: {@link io.fjord.client.consumer.FjordConsumer}, Kafka's consumer design and
 * configuration keys, as a group member (classic protocol) or with manually assigned partitions.
 */
package io.fjord.client.consumer;
