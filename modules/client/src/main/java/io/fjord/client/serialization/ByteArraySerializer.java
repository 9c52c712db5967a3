package io.fjord.client.serialization;

import io.fjord.api.serialization.Serializer;

/** The {@code byte-array} serializer: the bytes as they are (Kafka's ByteArraySerializer). */
public final class ByteArraySerializer implements Serializer<byte[]> {

    @Override
    public String name() {
        return "byte-array";
    }

    @Override
    public byte[] serialize(String topic, byte[] data) {
        return data;
    }
}
