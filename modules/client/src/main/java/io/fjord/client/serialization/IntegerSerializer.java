package io.fjord.client.serialization;

import io.fjord.api.serialization.Serializer;

import java.nio.ByteBuffer;

/** The {@code integer} serializer: 4 bytes big-endian (Kafka's IntegerSerializer). */
public final class IntegerSerializer implements Serializer<Integer> {

    @Override
    public String name() {
        return "integer";
    }

    @Override
    public byte[] serialize(String topic, Integer data) {
        return data == null ? null : ByteBuffer.allocate(4).putInt(data).array();
    }
}
