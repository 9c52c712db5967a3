package io.fjord.client.producer.internals;

import java.util.Map;

/**
 * Kafka's class names for the built-ins Fjord has under a plugin name, so a Kafka producer's
 * properties work unchanged: {@code key.serializer=org.apache.kafka.common.serialization.StringSerializer}
 * selects Fjord's {@code string} serializer.
 */
public final class KafkaClassNames {

    private static final String SERIALIZATION = "org.apache.kafka.common.serialization.";
    private static final Map<String, String> SERIALIZERS = Map.of(
            SERIALIZATION + "StringSerializer", "string",
            SERIALIZATION + "ByteArraySerializer", "byte-array",
            SERIALIZATION + "ByteBufferSerializer", "bytes",
            SERIALIZATION + "BytesSerializer", "bytes",
            SERIALIZATION + "IntegerSerializer", "integer",
            SERIALIZATION + "LongSerializer", "long",
            SERIALIZATION + "UUIDSerializer", "uuid");

    private KafkaClassNames() {
    }

    /** Fjord's name for a serializer given by Kafka's class name; other names as they are. */
    public static String serializer(String name) {
        return SERIALIZERS.getOrDefault(name.trim(), name.trim());
    }

    /** Whether a {@code partitioner.class} names Kafka's default, which is Fjord's built-in partitioning. */
    public static boolean isDefaultPartitioner(String name) {
        return name == null || name.isBlank()
                || name.trim().equals("org.apache.kafka.clients.producer.internals.DefaultPartitioner")
                || name.trim().equals("org.apache.kafka.clients.producer.internals.BuiltInPartitioner");
    }
}
