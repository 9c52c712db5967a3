package io.fjord.client.serialization;

import io.fjord.api.serialization.Serializer;

import java.nio.charset.StandardCharsets;

/** The {@code string} serializer: UTF-8 bytes, null for null (Kafka's StringSerializer). */
public final class StringSerializer implements Serializer<String> {

    @Override
    public String name() {
        return "string";
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : data.getBytes(StandardCharsets.UTF_8);
    }
}
