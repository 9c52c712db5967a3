/**
 * Fjord's producer: {@link io.fjord.client.producer.FjordProducer} with Kafka's producer design
 * and configuration keys ({@link io.fjord.client.producer.ProducerConfig}), records and metadata of
 * {@code io.fjord.api.producer}, a {@link io.fjord.client.producer.Callback} per record.
 *
 * <p>How a record travels: {@code send} runs the interceptors, waits (at most {@code max.block.ms})
 * for the topic's metadata, serializes key and value, picks the partition (the record's, a
 * configured partitioner's, murmur2 of the key, or the sticky choice), and appends the record to
 * its partition's open batch, written in record batch v2 straight into a buffer of the pool. The
 * sender thread drains ready batches into one Produce request per broker and sends them through
 * the network client of {@code io.fjord.client.network}; answers complete the batch's futures and
 * callbacks, or send it back for a retry.
 */
package io.fjord.client.producer;
