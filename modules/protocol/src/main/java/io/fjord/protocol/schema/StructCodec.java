package io.fjord.protocol.schema;

import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.RecordSet;
import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads and writes {@link Struct}s by walking their {@link Schema} for one message version.
 * {@code flexible} selects the compact encodings and the tagged-field sections (KIP-482).
 *
 * <p>Recursion is bounded by the depth of the schema, never by the input. Unknown tags are
 * skipped when reading and therefore not written back.
 */
public final class StructCodec {
    private StructCodec() {
    }

    /** Reads one struct of {@code schema} at {@code version} from the reader's position. */
    public static Struct read(Schema schema, short version, boolean flexible, WireReader in) {
        Struct struct = schema.newStruct();
        for (Field f : schema.regularFields()) {
            if (f.isPresentIn(version)) {
                struct.setDecoded(f.index(),
                        readValue(f, f.type(), f.isNullableIn(version), version, flexible, in));
            }
        }
        if (flexible) {
            readTaggedFields(schema, struct, version, in);
        }
        return struct;
    }

    private static void readTaggedFields(Schema schema, Struct struct, short version, WireReader in) {
        int count = in.readUnsignedVarint();
        if (count < 0 || (long) count * 2 > in.remaining()) {
            throw in.malformed("tagged field count " + (count & 0xffffffffL) + " out of range");
        }
        Field[] known = schema.taggedFields();
        for (int i = 0; i < count; i++) {
            int tag = in.readUnsignedVarint();
            int size = in.readUnsignedVarint();
            if (size < 0 || size > in.remaining()) {
                throw in.malformed("tagged field " + tag + " of " + (size & 0xffffffffL)
                        + " bytes exceeds the " + in.remaining() + " remaining");
            }
            Field field = null;
            for (Field f : known) {
                if (f.tag() == tag && f.isPresentIn(version)) {
                    field = f;
                    break;
                }
            }
            if (field == null) {
                in.skip(size);
                continue;
            }
            WireReader value = new WireReader(in.readSlice(size));
            struct.setDecoded(field.index(),
                    readValue(field, field.type(), field.isNullableIn(version), version, true, value));
            if (value.remaining() != 0) {
                throw in.malformed("tagged field " + tag + " has " + value.remaining()
                        + " trailing bytes");
            }
        }
    }

    /** {@code nullable} is the field's nullability for the field itself, false for array elements. */
    private static Object readValue(Field f, Type type, boolean nullable, short version,
            boolean flexible, WireReader in) {
        return switch (type.kind()) {
            case INT8 -> in.readByte();
            case INT16 -> in.readShort();
            case INT32 -> in.readInt();
            case INT64 -> in.readLong();
            case UINT16 -> in.readUnsignedShort();
            case FLOAT64 -> in.readDouble();
            case BOOLEAN -> in.readBoolean();
            case UUID -> in.readUuid();
            case STRING -> in.readString(flexible, nullable);
            case BYTES, RECORDS -> in.readBytes(flexible, nullable);
            case STRUCT -> read(type.schema(), version, flexible, in);
            case ARRAY -> readArray(f, type.elementType(), nullable, version, flexible, in);
        };
    }

    private static Object readArray(Field f, Type element, boolean nullable, short version,
            boolean flexible, WireReader in) {
        int count = in.readArrayLength(flexible, nullable,
                element.minSize(version, flexible));
        if (count < 0) {
            return null;
        }
        if (element.kind() == Type.Kind.INT32) {
            // count * 4 <= remaining bytes, checked by readArrayLength.
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                values[i] = in.readInt();
            }
            return values;
        }
        // Grow with the elements actually read rather than trusting the count for capacity.
        List<Object> values = new ArrayList<>(Math.min(count, 16));
        for (int i = 0; i < count; i++) {
            values.add(readValue(f, element, false, version, flexible, in));
        }
        return values;
    }

    /**
     * Writes {@code struct} at {@code version}. Fields the version does not carry are not written;
     * a null where the version forbids it is a programming error ({@link IllegalArgumentException}).
     */
    public static void write(Struct struct, short version, boolean flexible, WireWriter out) {
        Schema schema = struct.schema();
        for (Field f : schema.regularFields()) {
            if (f.isPresentIn(version)) {
                writeValue(f, f.type(), struct.valueAt(f.index()), version, flexible, out);
            }
        }
        if (flexible) {
            writeTaggedFields(schema, struct, version, out);
        }
    }

    private static void writeTaggedFields(Schema schema, Struct struct, short version,
            WireWriter out) {
        Field[] tagged = schema.taggedFields();
        int count = 0;
        for (Field f : tagged) {
            if (isWrittenAsTag(f, struct, version)) {
                count++;
            }
        }
        out.writeUnsignedVarint(count);
        for (Field f : tagged) {
            if (isWrittenAsTag(f, struct, version)) {
                WireWriter body = new WireWriter(64);
                writeValue(f, f.type(), struct.valueAt(f.index()), version, true, body);
                ByteBuffer bytes = body.finishAsBuffer();
                out.writeUnsignedVarint(f.tag());
                out.writeUnsignedVarint(bytes.remaining());
                out.writeRaw(bytes);
            }
        }
    }

    private static boolean isWrittenAsTag(Field f, Struct struct, short version) {
        if (!f.isPresentIn(version)) {
            return false;
        }
        Object value = struct.valueAt(f.index());
        Object def = f.defaultValue();
        if (value instanceof List<?> list && def instanceof List<?> defList) {
            return !list.equals(defList);
        }
        if (value instanceof int[] a && def instanceof int[] d) {
            return !java.util.Arrays.equals(a, d);
        }
        return !java.util.Objects.equals(value, def);
    }

    private static void writeValue(Field f, Type type, Object value, short version,
            boolean flexible, WireWriter out) {
        if (value == null && type.kind() != Type.Kind.STRUCT && !f.isNullableIn(version)
                && !(f.writesNullAsEmpty() && type.kind() == Type.Kind.RECORDS)) {
            throw new IllegalArgumentException(f.name() + " may not be null in version " + version);
        }
        switch (type.kind()) {
            case INT8 -> out.writeByte((Byte) value);
            case INT16 -> out.writeShort((Short) value);
            case INT32 -> out.writeInt((Integer) value);
            case INT64 -> out.writeLong((Long) value);
            case UINT16 -> out.writeUnsignedShort((Integer) value);
            case FLOAT64 -> out.writeDouble((Double) value);
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case UUID -> out.writeUuid((UUID) value);
            case STRING -> out.writeString((String) value, flexible);
            case BYTES -> out.writeBytes((ByteBuffer) value, flexible);
            case RECORDS -> out.writeRecords(toRecordSet(f, value), flexible);
            case STRUCT -> write((Struct) value, version, flexible, out);
            case ARRAY -> writeArray(f, type.elementType(), value, version, flexible, out);
        }
    }

    private static RecordSet toRecordSet(Field f, Object value) {
        if (value == null) {
            return f.writesNullAsEmpty() ? new MemoryRecordSet(ByteBuffer.allocate(0)) : null;
        }
        if (value instanceof RecordSet records) {
            return records;
        }
        return new MemoryRecordSet((ByteBuffer) value);
    }

    private static void writeArray(Field f, Type element, Object value, short version,
            boolean flexible, WireWriter out) {
        if (value == null) {
            out.writeArrayLength(-1, flexible);
            return;
        }
        if (value instanceof int[] ints) {
            out.writeArrayLength(ints.length, flexible);
            for (int v : ints) {
                out.writeInt(v);
            }
            return;
        }
        List<?> list = (List<?>) value;
        out.writeArrayLength(list.size(), flexible);
        for (Object item : list) {
            if (item == null) {
                throw new IllegalArgumentException(f.name() + " holds a null element");
            }
            writeValue(f, element, item, version, flexible, out);
        }
    }
}
