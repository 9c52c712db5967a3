package io.fjord.protocol.schema;

import io.fjord.protocol.types.RecordSet;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One field of a {@link Schema}: its name, type, the versions it is present in, the versions in
 * which it may be null, its default value, and for tagged fields the tag.
 *
 * <p>Fields are immutable; the fluent methods return changed copies, so a schema reads like
 * Kafka's JSON message definitions: {@code field("log_start_offset", INT64).versions(5)
 * .defaultValue(-1)}. Version bounds are inclusive; a field without an upper bound lasts as long
 * as the message (or the enclosing struct) does.
 */
public final class Field {
    static final short NO_VERSION = -1;
    private static final int[] EMPTY_INT_ARRAY = new int[0];

    private final String name;
    private final Type type;
    private final short minVersion;
    private final short maxVersion;
    private final short nullableMin;
    private final short nullableMax;
    private final Object defaultValue;
    private final int tag;
    private final boolean writeNullAsEmpty;
    private final int index;

    private Field(String name, Type type, short minVersion, short maxVersion, short nullableMin,
            short nullableMax, Object defaultValue, int tag, boolean writeNullAsEmpty, int index) {
        this.name = name;
        this.type = type;
        this.minVersion = minVersion;
        this.maxVersion = maxVersion;
        this.nullableMin = nullableMin;
        this.nullableMax = nullableMax;
        this.defaultValue = defaultValue;
        this.tag = tag;
        this.writeNullAsEmpty = writeNullAsEmpty;
        this.index = index;
    }

    /** A field present in every version, not nullable, with the type's natural default. */
    public static Field field(String name, Type type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        return new Field(name, type, (short) 0, Short.MAX_VALUE, NO_VERSION, NO_VERSION,
                naturalDefault(type), -1, false, -1);
    }

    /** A tagged field: written in the tagged-field section, only when it differs from its default. */
    public static Field taggedField(int tag, String name, Type type) {
        if (tag < 0) {
            throw new IllegalArgumentException("negative tag");
        }
        Field f = field(name, type);
        return new Field(f.name, f.type, f.minVersion, f.maxVersion, f.nullableMin, f.nullableMax,
                f.defaultValue, tag, false, -1);
    }

    private static Object naturalDefault(Type type) {
        return switch (type.kind()) {
            case INT8 -> (byte) 0;
            case INT16 -> (short) 0;
            case INT32, UINT16 -> 0;
            case INT64 -> 0L;
            case FLOAT64 -> 0.0;
            case BOOLEAN -> false;
            case UUID -> new java.util.UUID(0, 0);
            case STRING -> "";
            case BYTES -> ByteBuffer.allocate(0);
            case RECORDS, STRUCT -> null;
            case ARRAY -> type.elementType().kind() == Type.Kind.INT32 ? EMPTY_INT_ARRAY : List.of();
        };
    }

    /** Present from {@code from} onward. */
    public Field versions(int from) {
        return versions(from, Short.MAX_VALUE);
    }

    /** Present in {@code from..to}. */
    public Field versions(int from, int to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad version range " + from + ".." + to);
        }
        return new Field(name, type, (short) from, (short) to, nullableMin, nullableMax,
                defaultValue, tag, writeNullAsEmpty, index);
    }

    /** Nullable in every version the field is present in. */
    public Field nullable() {
        return nullable(0, Short.MAX_VALUE);
    }

    /** Nullable from {@code from} onward. */
    public Field nullable(int from) {
        return nullable(from, Short.MAX_VALUE);
    }

    /** Nullable in {@code from..to}. */
    public Field nullable(int from, int to) {
        Type.Kind k = type.kind();
        if (k != Type.Kind.STRING && k != Type.Kind.BYTES && k != Type.Kind.RECORDS
                && k != Type.Kind.ARRAY) {
            throw new IllegalArgumentException(name + ": " + type + " cannot be null");
        }
        return new Field(name, type, minVersion, maxVersion, (short) from, (short) to,
                defaultValue, tag, writeNullAsEmpty, index);
    }

    /**
     * The value the field has when a version does not carry it (and, for tagged fields, when it is
     * absent). Numbers are converted to the field's type.
     */
    public Field defaultValue(Object value) {
        return new Field(name, type, minVersion, maxVersion, nullableMin, nullableMax,
                normalize(value), tag, writeNullAsEmpty, index);
    }

    /**
     * Writes a null value as empty rather than null; for fields peers must never see null, such as
     * the {@code records} of a fetch response.
     */
    public Field writeNullAsEmpty() {
        return new Field(name, type, minVersion, maxVersion, nullableMin, nullableMax,
                defaultValue, tag, true, index);
    }

    Field withIndex(int newIndex) {
        return new Field(name, type, minVersion, maxVersion, nullableMin, nullableMax,
                defaultValue, tag, writeNullAsEmpty, newIndex);
    }

    /**
     * Checks that {@code value} fits the field's type and converts numbers given for convenience
     * ({@code 5}, {@code -1}) to the field's value class; nulls are checked when writing, where the
     * version is known.
     */
    Object normalize(Object value) {
        if (value == null) {
            return null;
        }
        Type.Kind kind = type.kind();
        if (value instanceof Number n && isIntegral(kind)) {
            long v = n.longValue();
            if (!(n instanceof Byte || n instanceof Short || n instanceof Integer || n instanceof Long)
                    || v < minOf(kind) || v > maxOf(kind)) {
                throw new IllegalArgumentException(name + ": " + value + " is not a valid " + kind);
            }
            return switch (kind) {
                case INT8 -> (byte) v;
                case INT16 -> (short) v;
                case INT32, UINT16 -> (int) v;
                default -> v;
            };
        }
        if (kind == Type.Kind.FLOAT64 && value instanceof Number n) {
            return n.doubleValue();
        }
        boolean fits = switch (kind) {
            case BOOLEAN -> value instanceof Boolean;
            case UUID -> value instanceof java.util.UUID;
            case STRING -> value instanceof String;
            case BYTES -> value instanceof ByteBuffer;
            case RECORDS -> value instanceof ByteBuffer || value instanceof RecordSet;
            case ARRAY -> type.elementType().kind() == Type.Kind.INT32 ? value instanceof int[]
                    : value instanceof List<?>;
            default -> false;
        };
        if (!fits) {
            throw new IllegalArgumentException(name + ": a " + value.getClass().getSimpleName()
                    + " is not a valid " + type);
        }
        return value;
    }

    private static boolean isIntegral(Type.Kind kind) {
        return switch (kind) {
            case INT8, INT16, INT32, INT64, UINT16 -> true;
            default -> false;
        };
    }

    private static long minOf(Type.Kind kind) {
        return switch (kind) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case UINT16 -> 0;
            default -> Long.MIN_VALUE;
        };
    }

    private static long maxOf(Type.Kind kind) {
        return switch (kind) {
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case UINT16 -> 0xffff;
            default -> Long.MAX_VALUE;
        };
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** Position of the field in its schema, which is also its slot in a {@link Struct}. */
    public int index() {
        return index;
    }

    public boolean isTagged() {
        return tag >= 0;
    }

    /** The tag of a tagged field, or -1. */
    public int tag() {
        return tag;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    /** Whether a null value is written as empty (see {@link #writeNullAsEmpty()}). */
    public boolean writesNullAsEmpty() {
        return writeNullAsEmpty;
    }

    public boolean isPresentIn(short version) {
        return version >= minVersion && version <= maxVersion;
    }

    public boolean isNullableIn(short version) {
        return nullableMin != NO_VERSION && version >= nullableMin && version <= nullableMax;
    }

    @Override
    public String toString() {
        return name + ":" + type;
    }
}
