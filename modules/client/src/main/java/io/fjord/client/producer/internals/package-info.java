/**
 * The producer's parts, each tested on its own: {@link io.fjord.client.producer.internals.BufferPool}
 * (the memory), {@link io.fjord.client.producer.internals.RecordAccumulator} (batches per
 * partition, ready and drain), {@link io.fjord.client.producer.internals.BuiltInPartitioner},
 * {@link io.fjord.client.producer.internals.ProducerMetadata}, the {@link
 * io.fjord.client.producer.internals.Sender} thread and its idempotence state. Not exported.
 */
package io.fjord.client.producer.internals;
