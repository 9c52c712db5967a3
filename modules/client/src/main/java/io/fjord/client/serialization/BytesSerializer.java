package io.fjord.client.serialization;

import io.fjord.api.serialization.Serializer;

import java.nio.ByteBuffer;

/** The {@code bytes} serializer: a buffer's remaining bytes, copied (Kafka's ByteBufferSerializer and BytesSerializer). */
public final class BytesSerializer implements Serializer<ByteBuffer> {

    @Override
    public String name() {
        return "bytes";
    }

    @Override
    public byte[] serialize(String topic, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
