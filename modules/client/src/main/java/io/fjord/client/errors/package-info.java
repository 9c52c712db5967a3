/**
 * The failures Fjord's clients report, each carrying Kafka's error code: {@link
 * io.fjord.client.errors.ClientException} for any broker error, with subclasses for those callers
 * handle most ({@link io.fjord.client.errors.TimeoutException}, {@link
 * io.fjord.client.errors.RecordTooLargeException}, {@link
 * io.fjord.client.errors.UnknownTopicOrPartitionException}).
 */
package io.fjord.client.errors;
