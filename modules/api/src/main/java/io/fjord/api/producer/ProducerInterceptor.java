package io.fjord.api.producer;

import io.fjord.api.Plugin;

/**
 * Sees, and may replace, every record a producer sends, and learns how each send ended, as
 * Kafka's {@code ProducerInterceptor}. Selected by {@code interceptor.classes}; several run in
 * the configured order, each receiving what the previous one returned.
 *
 * <p>Exceptions thrown here are logged and ignored by the producer, never propagated to the
 * application. {@link #onAcknowledgement} runs on the producer's I/O thread: keep it short.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface ProducerInterceptor<K, V> extends Plugin {

    /**
     * Called before the key and value are serialized and the partition is chosen.
     *
     * @return the record to send: {@code record} itself or a replacement, never null
     */
    ProducerRecord<K, V> onSend(ProducerRecord<K, V> record);

    /**
     * Called once per record when the broker acknowledged it or the send failed.
     *
     * @param metadata where the record landed; on failure only its topic and partition are
     *     meaningful, and the offset is -1
     * @param exception null on success, otherwise why the send failed
     */
    void onAcknowledgement(RecordMetadata metadata, Exception exception);
}
