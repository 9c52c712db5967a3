package io.fjord.client.producer.internals;

/**
 * The settings the sender runs by, checked and defaulted by the producer's configuration.
 *
 * @param acks 0, 1 or -1 (all)
 * @param idempotent whether batches carry producer id, epoch and sequences
 */
public record SenderConfig(short acks, boolean idempotent, int maxInFlightPerConnection, int maxRequestSize,
                           long requestTimeoutMs, long deliveryTimeoutMs, long retryBackoffMs, int retries,
                           String transactionalId) {
}
