package io.fjord.api.serialization;

import io.fjord.api.Headers;
import io.fjord.api.Plugin;

/**
 * Turns a key or value into bytes, as Kafka's {@code Serializer}. Selected by
 * {@code key.serializer} / {@code value.serializer}. Called on the sending thread for every
 * record; must be thread-safe.
 *
 * @param <T> the type it serializes
 */
public interface Serializer<T> extends Plugin {

    /**
     * @return the bytes, or null for a null {@code data}
     * @throws SerializationException if {@code data} cannot be serialized
     */
    byte[] serialize(String topic, T data);

    /** As {@link #serialize(String, Object)}, with the record's headers, which it may change. */
    default byte[] serialize(String topic, Headers headers, T data) {
        return serialize(topic, data);
    }
}
