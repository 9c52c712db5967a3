package io.fjord.build.messages;

/**
 * The type of a field as a spec writes it: a primitive ({@code int8}, {@code int16}, {@code
 * int32}, {@code int64}, {@code uint16}, {@code float64}, {@code bool}, {@code uuid}, {@code
 * string}, {@code bytes}, {@code records}), a struct named in upper camel case, or an array of
 * either ({@code []int32}, {@code []TopicData}).
 *
 * <p>Each type knows its Java spelling and the reader and writer calls of the protocol module's
 * {@code WireReader} and {@code WireWriter} that carry it.
 */
record FieldType(Kind kind, FieldType element, String structName) {

    enum Kind {
        INT8("byte", "Byte", 1), INT16("short", "Short", 2), INT32("int", "Integer", 4),
        INT64("long", "Long", 8), UINT16("int", "Integer", 2), FLOAT64("double", "Double", 8),
        BOOL("boolean", "Boolean", 1), UUID("UUID", "UUID", 16), STRING("String", "String", 1),
        BYTES("ByteBuffer", "ByteBuffer", 1), RECORDS("RecordSet", "RecordSet", 1),
        ARRAY(null, null, 1), STRUCT(null, null, 1);

        final String javaType;
        final String boxedType;
        /** The fewest bytes a value takes on the wire: what bounds an array's declared length. */
        final int minWireSize;

        Kind(String javaType, String boxedType, int minWireSize) {
            this.javaType = javaType;
            this.boxedType = boxedType;
            this.minWireSize = minWireSize;
        }
    }

    static FieldType parse(String text) {
        if (text.startsWith("[]")) {
            FieldType element = parse(text.substring(2));
            if (element.kind == Kind.ARRAY || element.kind == Kind.RECORDS) {
                throw new IllegalArgumentException("no arrays of " + text.substring(2));
            }
            return new FieldType(Kind.ARRAY, element, null);
        }
        return switch (text) {
            case "int8" -> primitive(Kind.INT8);
            case "int16" -> primitive(Kind.INT16);
            case "int32" -> primitive(Kind.INT32);
            case "int64" -> primitive(Kind.INT64);
            case "uint16" -> primitive(Kind.UINT16);
            case "float64" -> primitive(Kind.FLOAT64);
            case "bool" -> primitive(Kind.BOOL);
            case "uuid" -> primitive(Kind.UUID);
            case "string" -> primitive(Kind.STRING);
            case "bytes" -> primitive(Kind.BYTES);
            case "records" -> primitive(Kind.RECORDS);
            default -> {
                if (!text.matches("[A-Z][A-Za-z0-9]*")) {
                    throw new IllegalArgumentException("unknown type '" + text + "'");
                }
                yield new FieldType(Kind.STRUCT, null, text);
            }
        };
    }

    private static FieldType primitive(Kind kind) {
        return new FieldType(kind, null, null);
    }

    boolean isArray() {
        return kind == Kind.ARRAY;
    }

    boolean isStruct() {
        return kind == Kind.STRUCT;
    }

    /** The struct named by this type or by its elements, or null. */
    String structOrElementStruct() {
        return isArray() ? element.structName : structName;
    }

    /** Whether a value of this type may be null in some version: strings, bytes, records, arrays, structs. */
    boolean canBeNull() {
        return switch (kind) {
            case STRING, BYTES, RECORDS, ARRAY, STRUCT -> true;
            default -> false;
        };
    }

    /** Whether Java holds the value as a primitive, compared with {@code ==}. */
    boolean isJavaPrimitive() {
        return switch (kind) {
            case INT8, INT16, INT32, INT64, UINT16, FLOAT64, BOOL -> true;
            default -> false;
        };
    }

    String javaType() {
        return switch (kind) {
            case ARRAY -> "List<" + element.boxedType() + ">";
            case STRUCT -> structName;
            default -> kind.javaType;
        };
    }

    String boxedType() {
        return kind == Kind.STRUCT ? structName : kind == Kind.ARRAY ? javaType() : kind.boxedType;
    }

    /** The reader call for one value of a primitive type; {@code nullable} is a Java expression. */
    String readCall(String reader, String nullable) {
        return switch (kind) {
            case INT8 -> reader + ".readByte()";
            case INT16 -> reader + ".readShort()";
            case INT32 -> reader + ".readInt()";
            case INT64 -> reader + ".readLong()";
            case UINT16 -> reader + ".readUnsignedShort()";
            case FLOAT64 -> reader + ".readDouble()";
            case BOOL -> reader + ".readBoolean()";
            case UUID -> reader + ".readUuid()";
            case STRING -> reader + ".readString(flexible, " + nullable + ")";
            case BYTES -> reader + ".readBytes(flexible, " + nullable + ")";
            case RECORDS -> reader + ".readRecords(flexible, " + nullable + ")";
            default -> throw new IllegalStateException(kind + " has no single read call");
        };
    }

    /** The writer call for one value of a primitive type. */
    String writeCall(String writer, String value) {
        return switch (kind) {
            case INT8 -> writer + ".writeByte(" + value + ")";
            case INT16 -> writer + ".writeShort(" + value + ")";
            case INT32 -> writer + ".writeInt(" + value + ")";
            case INT64 -> writer + ".writeLong(" + value + ")";
            case UINT16 -> writer + ".writeUnsignedShort(" + value + ")";
            case FLOAT64 -> writer + ".writeDouble(" + value + ")";
            case BOOL -> writer + ".writeBoolean(" + value + ")";
            case UUID -> writer + ".writeUuid(" + value + ")";
            case STRING -> writer + ".writeString(" + value + ", flexible)";
            case BYTES -> writer + ".writeBytes(" + value + ", flexible)";
            case RECORDS -> writer + ".writeRecords(" + value + ", flexible)";
            default -> throw new IllegalStateException(kind + " has no single write call");
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ARRAY -> "[]" + element;
            case STRUCT -> structName;
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
