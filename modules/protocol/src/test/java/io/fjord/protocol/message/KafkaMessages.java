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

/** Reads and writes Kafka's generated message classes, the oracle of the protocol tests. */
final class KafkaMessages {
    private KafkaMessages() {
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
            if (value instanceof Message child) {
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
}
