package io.fjord.client.producer;

import io.fjord.api.producer.RecordMetadata;

/**
 * Told once how a record's send ended. Runs on the producer's sender thread: it must be quick, and
 * must not block on the producer (a {@code send} that waits for memory would wait for itself).
 */
@FunctionalInterface
public interface Callback {

    /**
     * @param metadata where the record was written; on failure its partition with offset -1, or
     *     {@code null} if it failed before a partition was chosen
     * @param exception {@code null} on success, else why the record was not written
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}
