package io.fjord.client.serialization;

import io.fjord.api.Headers;
import io.fjord.api.serialization.Deserializer;
import io.fjord.api.serialization.SerializationException;

import java.nio.ByteBuffer;

/** The {@code integer} deserializer: 4 bytes big-endian (Kafka's IntegerDeserializer). */
public final class IntegerDeserializer implements Deserializer<Integer> {

    @Override
    public String name() {
        return "integer";
    }

    @Override
    public Integer deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, null, ByteBuffer.wrap(data));
    }

    @Override
    public Integer deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.remaining() != 4) {
            throw new SerializationException("An integer needs 4 bytes, got " + data.remaining());
        }
        return data.getInt(data.position());
    }
}
