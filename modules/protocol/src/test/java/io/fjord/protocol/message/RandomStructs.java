package io.fjord.protocol.message;

import io.fjord.protocol.schema.Field;
import io.fjord.protocol.schema.Schema;
import io.fjord.protocol.schema.Struct;
import io.fjord.protocol.schema.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Builds structs with random, non-trivial content for one version of a schema: every field the
 * version carries gets a value, arrays have up to three elements, and nullable fields are null
 * now and then.
 */
final class RandomStructs {
    private final Random random;

    RandomStructs(long seed) {
        this.random = new Random(seed);
    }

    Struct fill(Schema schema, short version) {
        Struct struct = schema.newStruct();
        for (Field f : schema.fields()) {
            if (!f.isPresentIn(version)) {
                continue;
            }
            if (f.isTagged() && random.nextInt(3) == 0) {
                continue; // leave some tagged fields at their default, so they are not written
            }
            struct.set(f, value(f, f.type(), version, true));
        }
        return struct;
    }

    private Object value(Field f, Type type, short version, boolean top) {
        boolean mayBeNull = top && f.isNullableIn(version) && !f.writesNullAsEmpty();
        if (mayBeNull && random.nextInt(4) == 0) {
            return null;
        }
        return switch (type.kind()) {
            case INT8 -> (byte) random.nextInt();
            case INT16 -> (short) random.nextInt();
            case INT32 -> random.nextInt();
            case INT64 -> random.nextLong();
            case UINT16 -> random.nextInt(0x10000);
            case FLOAT64 -> random.nextDouble();
            case BOOLEAN -> random.nextBoolean();
            case UUID -> new UUID(random.nextLong(), random.nextLong());
            case STRING -> string();
            case BYTES, RECORDS -> bytes();
            case STRUCT -> fill(type.schema(), version);
            case ARRAY -> array(f, type.elementType(), version);
        };
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

    private Object array(Field f, Type element, short version) {
        int count = 1 + random.nextInt(3);
        if (element.kind() == Type.Kind.INT32) {
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                values[i] = random.nextInt();
            }
            return values;
        }
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(value(f, element, version, false));
        }
        return values;
    }
}
