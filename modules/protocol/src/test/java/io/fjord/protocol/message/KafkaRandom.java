package io.fjord.protocol.message;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.types.BoundField;
import org.apache.kafka.common.protocol.types.Field;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.Struct;
import org.apache.kafka.common.protocol.types.TaggedFields;
import org.apache.kafka.common.protocol.types.Type;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Random message bodies of any (API, version, direction), made from Kafka's own schemas rather than
 * from Fjord's specs, so that the content the tests feed Fjord is independent of what Fjord
 * believes the layout to be. Every field gets a value; arrays hold one to three elements; nullable
 * fields are null now and then; some tagged fields are left out.
 */
final class KafkaRandom {
    private final Random random;

    KafkaRandom(long seed) {
        this.random = new Random(seed);
    }

    /**
     * A random body in Kafka's canonical encoding: built from Kafka's schema, read by Kafka's
     * generated class and written again by it. Produce versions 0 to 2, which Kafka 4 no longer
     * has, are version 3's content without the fields those versions lack.
     */
    ByteBuffer body(ApiKeys api, boolean request, short version) {
        if (api == ApiKeys.PRODUCE && version < 3) {
            ApiMessage message = KafkaOracleTest.decode(api, request, (short) 3, body(api, request, (short) 3));
            if (message instanceof ProduceRequest produce) {
                produce.setTransactionalId(null);
            }
            return MessageCodec.encodeBody(version, message).toByteBuffer();
        }
        org.apache.kafka.common.message.ApiMessageType type =
                org.apache.kafka.common.protocol.ApiKeys.forId(api.id()).messageType;
        Schema schema = (request ? type.requestSchemas() : type.responseSchemas())[version];
        Struct struct = struct(schema);
        ByteBuffer raw = ByteBuffer.allocate(schema.sizeOf(struct));
        schema.write(raw, struct);
        return KafkaMessages.write(KafkaMessages.read(api, request, version, raw.flip()), version);
    }

    private Struct struct(Schema schema) {
        Struct struct = new Struct(schema);
        for (BoundField f : schema.fields()) {
            struct.set(f, value(f.def));
        }
        return struct;
    }

    private Object value(Field f) {
        Type type = f.type;
        if (type instanceof TaggedFields tagged) {
            Map<Integer, Object> values = new TreeMap<>();
            for (Map.Entry<Integer, Field> e : tagged.fields().entrySet()) {
                if (random.nextInt(3) != 0) {
                    values.put(e.getKey(), value(e.getValue()));
                }
            }
            return values;
        }
        if (type.isNullable() && random.nextInt(4) == 0) {
            return null;
        }
        return value(type);
    }

    private Object value(Type type) {
        if (type instanceof Schema schema) {
            return struct(schema);
        }
        if (type.isArray()) {
            Type element = type.arrayElementType().orElseThrow();
            Object[] values = new Object[1 + random.nextInt(3)];
            for (int i = 0; i < values.length; i++) {
                values[i] = value(element);
            }
            return values;
        }
        if (type == Type.BOOLEAN) {
            return random.nextBoolean();
        }
        if (type == Type.INT8) {
            return (byte) random.nextInt();
        }
        if (type == Type.INT16) {
            return (short) random.nextInt();
        }
        if (type == Type.UINT16) {
            return random.nextInt(0x10000);
        }
        if (type == Type.INT32) {
            return random.nextInt();
        }
        if (type == Type.INT64) {
            return random.nextLong();
        }
        if (type == Type.FLOAT64) {
            return random.nextDouble();
        }
        if (type == Type.UUID) {
            return new Uuid(random.nextLong(), random.nextLong());
        }
        if (type == Type.STRING || type == Type.NULLABLE_STRING || type == Type.COMPACT_STRING
                || type == Type.COMPACT_NULLABLE_STRING) {
            return string();
        }
        if (type == Type.BYTES || type == Type.NULLABLE_BYTES || type == Type.COMPACT_BYTES
                || type == Type.COMPACT_NULLABLE_BYTES) {
            return bytes();
        }
        if (type == Type.RECORDS || type == Type.NULLABLE_RECORDS || type == Type.COMPACT_RECORDS
                || type == Type.COMPACT_NULLABLE_RECORDS) {
            return MemoryRecords.readableRecords(bytes());
        }
        throw new AssertionError("no random value for Kafka type " + type);
    }

    private String string() {
        int length = random.nextInt(12);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        if (random.nextInt(8) == 0) {
            b.append("\u00e6\u00f8\u00e5"); // multi-byte UTF-8
        }
        return b.toString();
    }

    private ByteBuffer bytes() {
        byte[] b = new byte[random.nextInt(40)];
        random.nextBytes(b);
        return ByteBuffer.wrap(b);
    }
}
