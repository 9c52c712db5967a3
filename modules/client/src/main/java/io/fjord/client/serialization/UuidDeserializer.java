package io.fjord.client.serialization;

import io.fjord.api.serialization.Deserializer;
import io.fjord.api.serialization.SerializationException;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The {@code uuid} deserializer: a UUID's text form in UTF-8 (Kafka's UUIDDeserializer). */
public final class UuidDeserializer implements Deserializer<UUID> {

    @Override
    public String name() {
        return "uuid";
    }

    @Override
    public UUID deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return UUID.fromString(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new SerializationException("Not a UUID: " + e.getMessage());
        }
    }
}
