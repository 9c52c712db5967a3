package io.fjord.protocol.message;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.RawTaggedField;

/**
 * Reads and writes Kafka's generated message classes, the oracle of the protocol tests, and
 * compares their content with Fjord's generated classes field by field.
 */
final class KafkaMessages {
    /** Methods of Fjord's generated classes that are not fields. */
    private static final java.util.Set<String> NOT_FIELDS = java.util.Set.of("apiKey", "lowestVersion",
            "highestVersion", "firstFlexibleVersion", "unknownTaggedFields", "toString", "hashCode");
    private KafkaMessages() {
    }

    /**
     * Whether Kafka's client library still has classes for {@code api}: Kafka 4 removed the
     * ZooKeeper-era controller APIs, which {@code ZooKeeperEraMessagesTest} checks instead.
     */
    static boolean kafkaSpeaks(ApiKeys api) {
        org.apache.kafka.common.protocol.ApiKeys kafka = org.apache.kafka.common.protocol.ApiKeys.forId(api.id());
        return kafka.latestVersion() >= kafka.oldestVersion();
    }

    /** The APIs {@link #kafkaSpeaks} holds for, the ones Kafka's classes can be the oracle of. */
    static java.util.List<ApiKeys> apisKafkaSpeaks() {
        return java.util.Arrays.stream(ApiKeys.values()).filter(KafkaMessages::kafkaSpeaks).toList();
    }

    static Class<?> dataClass(ApiKeys api, boolean request) {
        String name = "org.apache.kafka.common.message." + api.apiName()
                + (request ? "RequestData" : "ResponseData");
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name, e);
        }
    }

    /** Kafka's reading of {@code bytes} at {@code version}; all bytes must be consumed. */
    static ApiMessage read(ApiKeys api, boolean request, short version, ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        try {
            ApiMessage message = (ApiMessage) dataClass(api, request)
                    .getConstructor(org.apache.kafka.common.protocol.Readable.class, short.class)
                    .newInstance(new ByteBufferAccessor(copy), version);
            if (copy.hasRemaining()) {
                throw new AssertionError("Kafka left " + copy.remaining() + " bytes unread");
            }
            return message;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Kafka could not read " + api + " v" + version, e.getCause());
        }
    }

    /** Kafka's encoding of {@code message} at {@code version}. */
    static ByteBuffer write(Message message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = message.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        message.write(new ByteBufferAccessor(buffer), cache, version);
        if (buffer.hasRemaining()) {
            throw new AssertionError("Kafka wrote fewer bytes than it sized");
        }
        return buffer.flip();
    }

    /**
     * Asserts that Fjord's message holds what Kafka's does: every field of Fjord's class (a public
     * getter) has Kafka's getter of the same name returning the same value, nested structs and
     * lists included, and both keep the same unknown tagged fields.
     */
    static void assertSameContent(Object kafka, io.fjord.protocol.message.Message fjord, String path) {
        for (Method getter : fjord.getClass().getDeclaredMethods()) {
            if (!Modifier.isPublic(getter.getModifiers()) || Modifier.isStatic(getter.getModifiers())
                    || getter.getParameterCount() != 0 || NOT_FIELDS.contains(getter.getName())) {
                continue;
            }
            String where = path + "." + getter.getName();
            Object kafkaValue;
            try {
                kafkaValue = kafka.getClass().getMethod(getter.getName()).invoke(kafka);
            } catch (NoSuchMethodException e) {
                throw new AssertionError(where + ": Kafka's " + kafka.getClass().getSimpleName() + " has no such field");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(where, e);
            }
            try {
                assertSameValue(kafkaValue, getter.invoke(fjord), where);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(where, e);
            }
        }
        List<org.apache.kafka.common.protocol.types.RawTaggedField> kafkaTags = ((Message) kafka).unknownTaggedFields();
        List<io.fjord.protocol.types.RawTaggedField> fjordTags = fjord.unknownTaggedFields();
        org.junit.jupiter.api.Assertions.assertEquals(kafkaTags.size(), fjordTags.size(), path + " unknown tags");
        for (int i = 0; i < kafkaTags.size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(kafkaTags.get(i).tag(), fjordTags.get(i).tag(), path);
            org.junit.jupiter.api.Assertions.assertEquals(ByteBuffer.wrap(kafkaTags.get(i).data()),
                    fjordTags.get(i).data(), path);
        }
    }

    private static void assertSameValue(Object kafka, Object fjord, String where) {
        if (kafka == null || fjord == null) {
            org.junit.jupiter.api.Assertions.assertEquals(kafka == null, fjord == null,
                    where + ": Kafka " + kafka + ", Fjord " + fjord);
            return;
        }
        if (fjord instanceof io.fjord.protocol.message.Message nested) {
            assertSameContent(kafka, nested, where);
        } else if (fjord instanceof List<?> fjordList) {
            List<?> kafkaList = List.copyOf((Collection<?>) kafka);
            org.junit.jupiter.api.Assertions.assertEquals(kafkaList.size(), fjordList.size(), where + " size");
            for (int i = 0; i < kafkaList.size(); i++) {
                assertSameValue(kafkaList.get(i), fjordList.get(i), where + "[" + i + "]");
            }
        } else if (fjord instanceof java.util.UUID uuid) {
            org.apache.kafka.common.Uuid k = (org.apache.kafka.common.Uuid) kafka;
            org.junit.jupiter.api.Assertions.assertEquals(
                    new java.util.UUID(k.getMostSignificantBits(), k.getLeastSignificantBits()), uuid, where);
        } else if (fjord instanceof ByteBuffer bytes) {
            ByteBuffer k = kafka instanceof byte[] array ? ByteBuffer.wrap(array) : (ByteBuffer) kafka;
            org.junit.jupiter.api.Assertions.assertEquals(k, bytes, where);
        } else if (fjord instanceof io.fjord.protocol.types.RecordSet records) {
            ByteBuffer k = ((org.apache.kafka.common.record.internal.MemoryRecords) kafka).buffer();
            ByteBuffer f = ByteBuffer.allocate(records.sizeInBytes());
            records.copyTo(f);
            org.junit.jupiter.api.Assertions.assertEquals(k, f.flip(), where);
        } else {
            org.junit.jupiter.api.Assertions.assertEquals(kafka, fjord, where);
        }
    }

    /** Adds an unknown tagged field to {@code message} and every struct inside it. */
    static void addUnknownTags(Message message, int tag) {
        forEachMessage(message, m -> m.unknownTaggedFields()
                .add(new RawTaggedField(tag, new byte[] {1, 2, 3, (byte) tag})));
    }

    /** Removes every unknown tagged field from {@code message} and the structs inside it. */
    static void clearUnknownTags(Message message) {
        forEachMessage(message, m -> m.unknownTaggedFields().clear());
    }

    private static void forEachMessage(Message message, java.util.function.Consumer<Message> action) {
        action.accept(message);
        for (Method method : message.getClass().getMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
                    || method.getName().equals("unknownTaggedFields")
                    || method.getName().equals("duplicate")) {
                continue;
            }
            Class<?> returned = method.getReturnType();
            if (!Message.class.isAssignableFrom(returned) && !Collection.class.isAssignableFrom(returned)) {
                continue;
            }
            Object value;
            try {
                value = method.invoke(message);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            if (value instanceof Message child && !isDefault(child)) {
                forEachMessage(child, action);
            } else if (value instanceof Collection<?> children) {
                for (Object child : List.copyOf(children)) {
                    if (child instanceof Message m) {
                        forEachMessage(m, action);
                    }
                }
            }
        }
    }

    /**
     * Whether a nested struct holds only its defaults: a tagged struct such as Fetch's
     * ReplicaState is then absent from versions that lack it, and an unknown tag added to it
     * would make Kafka refuse to write it there.
     */
    private static boolean isDefault(Message child) {
        try {
            return child.equals(child.getClass().getConstructor().newInstance());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
