package io.fjord.client.serialization;

import io.fjord.api.Headers;
import io.fjord.api.serialization.Deserializer;

import java.nio.ByteBuffer;

/**
 * The {@code bytes} deserializer: a read-only view of the record's bytes, no copy (Kafka's
 * ByteBufferDeserializer). The view stays valid as long as the application keeps it.
 */
public final class BytesDeserializer implements Deserializer<ByteBuffer> {

    @Override
    public String name() {
        return "bytes";
    }

    @Override
    public ByteBuffer deserialize(String topic, byte[] data) {
        return data == null ? null : ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    @Override
    public ByteBuffer deserialize(String topic, Headers headers, ByteBuffer data) {
        return data == null ? null : data.asReadOnlyBuffer();
    }
}
