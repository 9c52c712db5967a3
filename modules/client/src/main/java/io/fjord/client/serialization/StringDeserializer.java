package io.fjord.client.serialization;

import io.fjord.api.Headers;
import io.fjord.api.serialization.Deserializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The {@code string} deserializer: UTF-8 text, null for null (Kafka's StringDeserializer). */
public final class StringDeserializer implements Deserializer<String> {

    @Override
    public String name() {
        return "string";
    }

    @Override
    public String deserialize(String topic, byte[] data) {
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return new String(data.array(), data.arrayOffset() + data.position(), data.remaining(), StandardCharsets.UTF_8);
        }
        return StandardCharsets.UTF_8.decode(data.duplicate()).toString();
    }
}
