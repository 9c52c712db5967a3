package io.fjord.client.serialization;

import io.fjord.api.Headers;
import io.fjord.api.serialization.Deserializer;
import io.fjord.api.serialization.SerializationException;

import java.nio.ByteBuffer;

/** The {@code long} deserializer: 8 bytes big-endian (Kafka's LongDeserializer). */
public final class LongDeserializer implements Deserializer<Long> {

    @Override
    public String name() {
        return "long";
    }

    @Override
    public Long deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, null, ByteBuffer.wrap(data));
    }

    @Override
    public Long deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.remaining() != 8) {
            throw new SerializationException("A long needs 8 bytes, got " + data.remaining());
        }
        return data.getLong(data.position());
    }
}
