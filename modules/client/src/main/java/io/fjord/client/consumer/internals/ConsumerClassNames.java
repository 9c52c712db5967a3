package io.fjord.client.consumer.internals;

import java.util.Map;

/**
 * Kafka's class names for the consumer's built-ins Fjord has under a plugin name, so a Kafka
 * consumer's properties work unchanged: {@code partition.assignment.strategy=
 * org.apache.kafka.clients.consumer.RangeAssignor} selects Fjord's {@code range}.
 */
public final class ConsumerClassNames {

    private static final String SERIALIZATION = "org.apache.kafka.common.serialization.";
    private static final String CONSUMER = "org.apache.kafka.clients.consumer.";
    private static final Map<String, String> DESERIALIZERS = Map.of(
            SERIALIZATION + "StringDeserializer", "string",
            SERIALIZATION + "ByteArrayDeserializer", "byte-array",
            SERIALIZATION + "ByteBufferDeserializer", "bytes",
            SERIALIZATION + "BytesDeserializer", "bytes",
            SERIALIZATION + "IntegerDeserializer", "integer",
            SERIALIZATION + "LongDeserializer", "long",
            SERIALIZATION + "UUIDDeserializer", "uuid");
    private static final Map<String, String> ASSIGNORS = Map.of(
            CONSUMER + "RangeAssignor", "range",
            CONSUMER + "RoundRobinAssignor", "roundrobin",
            CONSUMER + "StickyAssignor", "sticky",
            CONSUMER + "CooperativeStickyAssignor", "cooperative-sticky");

    private ConsumerClassNames() {
    }

    public static String deserializer(String name) {
        return DESERIALIZERS.getOrDefault(name.trim(), name.trim());
    }

    public static String assignor(String name) {
        return ASSIGNORS.getOrDefault(name.trim(), name.trim());
    }
}
