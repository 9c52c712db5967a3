package io.fjord.client.serialization;

import io.fjord.api.serialization.Deserializer;

/** The {@code byte-array} deserializer: the bytes as they are (Kafka's ByteArrayDeserializer). */
public final class ByteArrayDeserializer implements Deserializer<byte[]> {

    @Override
    public String name() {
        return "byte-array";
    }

    @Override
    public byte[] deserialize(String topic, byte[] data) {
        return data;
    }
}
