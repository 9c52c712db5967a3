package io.fjord.client.serialization;

import io.fjord.api.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The {@code uuid} serializer: the UUID's text form in UTF-8 (Kafka's UUIDSerializer). */
public final class UuidSerializer implements Serializer<UUID> {

    @Override
    public String name() {
        return "uuid";
    }

    @Override
    public byte[] serialize(String topic, UUID data) {
        return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
