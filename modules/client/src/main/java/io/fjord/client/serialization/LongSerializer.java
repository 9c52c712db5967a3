package io.fjord.client.serialization;

import io.fjord.api.serialization.Serializer;

import java.nio.ByteBuffer;

/** The {@code long} serializer: 8 bytes big-endian (Kafka's LongSerializer). */
public final class LongSerializer implements Serializer<Long> {

    @Override
    public String name() {
        return "long";
    }

    @Override
    public byte[] serialize(String topic, Long data) {
        return data == null ? null : ByteBuffer.allocate(8).putLong(data).array();
    }
}
