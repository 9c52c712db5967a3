package io.fjord.api.serialization;

import io.fjord.api.Headers;
import io.fjord.api.Plugin;

import java.nio.ByteBuffer;

/**
 * Turns bytes back into a key or value, as Kafka's {@code Deserializer}. Selected by
 * {@code key.deserializer} / {@code value.deserializer}. Must be thread-safe.
 *
 * @param <T> the type it produces
 */
public interface Deserializer<T> extends Plugin {

    /**
     * @param data the bytes, or null for a null key or value
     * @throws SerializationException if the bytes are not a valid {@code T}
     */
    T deserialize(String topic, byte[] data);

    /** As {@link #deserialize(String, byte[])}, with the record's headers. */
    default T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
    }

    /**
     * As {@link #deserialize(String, Headers, byte[])} for the remaining bytes of a buffer
     * (null for a null key or value); the buffer's position is not moved. Override to read
     * without a copy.
     */
    default T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return deserialize(topic, headers, (byte[]) null);
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return deserialize(topic, headers, bytes);
    }
}
