package io.fjord.replication;

/**
 * The request-level limits of a consumer fetch.
 *
 * @param maxWaitMs how long to wait for {@code minBytes} ({@code fetch.max.wait.ms})
 * @param minBytes the bytes to wait for ({@code fetch.min.bytes})
 * @param maxBytes the response's size limit over all partitions ({@code fetch.max.bytes}); the
 *     first non-empty partition may exceed it by one batch
 */
public record FetchParams(long maxWaitMs, int minBytes, int maxBytes) {
}
