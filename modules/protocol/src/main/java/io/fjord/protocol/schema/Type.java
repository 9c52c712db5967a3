package io.fjord.protocol.schema;

import java.util.Objects;

/**
 * The wire type of a {@link Field}. Whether strings, bytes, records and arrays use the classic or
 * the compact (KIP-482) encoding is not part of the type: it follows from the message version.
 *
 * <p>Values in a {@link Struct}: INT8 {@code Byte}, INT16 {@code Short}, INT32 and UINT16 {@code
 * Integer}, INT64 {@code Long}, FLOAT64 {@code Double}, BOOLEAN {@code Boolean}, UUID {@code
 * java.util.UUID}, STRING {@code String}, BYTES {@code ByteBuffer}, RECORDS {@code ByteBuffer}
 * when decoded and a {@code ByteBuffer} or {@link io.fjord.protocol.types.RecordSet} when encoded,
 * an array of INT32 {@code int[]}, any other array a {@code List} of its element values (a
 * {@code List<Struct>} for an array of structs).
 */
public final class Type {

    /** What a type is. */
    public enum Kind {
        INT8(1, 1), INT16(2, 2), INT32(4, 4), INT64(8, 8), UINT16(2, 2), FLOAT64(8, 8),
        BOOLEAN(1, 1), UUID(16, 16), STRING(2, 1), BYTES(4, 1), RECORDS(4, 1), ARRAY(4, 1),
        STRUCT(0, 0);

        private final int classicMinSize;
        private final int compactMinSize;

        Kind(int classicMinSize, int compactMinSize) {
            this.classicMinSize = classicMinSize;
            this.compactMinSize = compactMinSize;
        }

        int minSize(boolean flexible) {
            return flexible ? compactMinSize : classicMinSize;
        }
    }

    public static final Type INT8 = new Type(Kind.INT8, null, null);
    public static final Type INT16 = new Type(Kind.INT16, null, null);
    public static final Type INT32 = new Type(Kind.INT32, null, null);
    public static final Type INT64 = new Type(Kind.INT64, null, null);
    public static final Type UINT16 = new Type(Kind.UINT16, null, null);
    public static final Type FLOAT64 = new Type(Kind.FLOAT64, null, null);
    public static final Type BOOLEAN = new Type(Kind.BOOLEAN, null, null);
    public static final Type UUID = new Type(Kind.UUID, null, null);
    public static final Type STRING = new Type(Kind.STRING, null, null);
    public static final Type BYTES = new Type(Kind.BYTES, null, null);
    public static final Type RECORDS = new Type(Kind.RECORDS, null, null);

    private final Kind kind;
    private final Type elementType;
    private final Schema schema;

    private Type(Kind kind, Type elementType, Schema schema) {
        this.kind = kind;
        this.elementType = elementType;
        this.schema = schema;
    }

    /** An array of a primitive type. */
    public static Type arrayOf(Type elementType) {
        Objects.requireNonNull(elementType, "elementType");
        if (elementType.kind == Kind.ARRAY) {
            throw new IllegalArgumentException("Kafka has no arrays of arrays");
        }
        return new Type(Kind.ARRAY, elementType, null);
    }

    /** An array of structs. */
    public static Type arrayOf(Schema struct) {
        return new Type(Kind.ARRAY, new Type(Kind.STRUCT, null, Objects.requireNonNull(struct)), null);
    }

    public Kind kind() {
        return kind;
    }

    /** The element type of an array, or {@code null}. */
    public Type elementType() {
        return elementType;
    }

    /** The schema of a struct, or {@code null}. */
    public Schema schema() {
        return schema;
    }

    /** The fewest bytes a value of this type takes on the wire in the given version. */
    int minSize(short version, boolean flexible) {
        return kind == Kind.STRUCT ? schema.minSize(version, flexible) : kind.minSize(flexible);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ARRAY -> "[" + elementType + "]";
            case STRUCT -> "struct";
            default -> kind.name();
        };
    }
}
