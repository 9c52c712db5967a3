package io.fjord.build.messages;

import java.math.BigDecimal;

/**
 * A field's default: the value it holds in a new message and in the versions that do not carry
 * it, and the value a tagged field is left out for. Specs give it as a JSON literal, or leave it
 * out for the type's natural default (zero, false, the zero UUID, an empty string, empty bytes or
 * records, an empty array, a struct of defaults). Records default to empty, never null, so that a
 * response nobody filled in still carries a record set every client can parse.
 */
final class DefaultValue {

    private final Object literal;
    private final boolean given;

    private DefaultValue(Object literal, boolean given) {
        this.literal = literal;
        this.given = given;
    }

    static final DefaultValue NATURAL = new DefaultValue(null, false);

    /** A default given in the spec: a {@code String}, {@code BigDecimal}, {@code Boolean} or null. */
    static DefaultValue of(Object literal) {
        return new DefaultValue(literal, true);
    }

    boolean isNull() {
        return given && literal == null;
    }

    /** Checks the default against the field's type and nullability; throws with a readable reason. */
    void check(FieldType type, boolean nullableSomewhere) {
        if (!given) {
            return;
        }
        if (literal == null) {
            if (!type.canBeNull() || !nullableSomewhere) {
                throw new IllegalArgumentException("default null needs a field that is nullable in some version");
            }
            return;
        }
        switch (type.kind()) {
            case INT8 -> range(Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> range(Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> range(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> range(Long.MIN_VALUE, Long.MAX_VALUE);
            case UINT16 -> range(0, 0xffff);
            case FLOAT64 -> require(literal instanceof BigDecimal, "a number");
            case BOOL -> require(literal instanceof Boolean, "true or false");
            case STRING -> require(literal instanceof String, "a string");
            default -> throw new IllegalArgumentException("a " + type + " field takes only the default null");
        }
    }

    private void range(long min, long max) {
        require(literal instanceof BigDecimal, "an integer");
        BigDecimal n = (BigDecimal) literal;
        if (n.scale() > 0 || n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new IllegalArgumentException("default " + n + " is outside " + min + ".." + max);
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("the default must be " + what);
        }
    }

    /** The default as a Java expression of the field's type. */
    String javaExpression(FieldType type) {
        if (isNull()) {
            return "null";
        }
        return switch (type.kind()) {
            case INT8 -> "(byte) " + number("0");
            case INT16 -> "(short) " + number("0");
            case INT32, UINT16 -> number("0");
            case INT64 -> number("0") + "L";
            case FLOAT64 -> number("0") + "d";
            case BOOL -> given ? literal.toString() : "false";
            case UUID -> "ZERO_UUID";
            case STRING -> given ? quote((String) literal) : "\"\"";
            case BYTES -> "EMPTY_BYTES";
            case RECORDS -> "EMPTY_RECORDS";
            case ARRAY -> "new ArrayList<>(0)";
            case STRUCT -> "new " + type.structName() + "()";
        };
    }

    /**
     * A Java expression that is true when {@code value} differs from the default: a tagged field
     * is written only then.
     */
    String differsExpression(FieldType type, String value) {
        if (isNull()) {
            return value + " != null";
        }
        return switch (type.kind()) {
            case INT8, INT16, INT32, INT64, UINT16, BOOL -> value + " != " + javaExpression(type);
            case FLOAT64 -> "Double.compare(" + value + ", " + javaExpression(type) + ") != 0";
            case ARRAY -> "(" + value + " == null || !" + value + ".isEmpty())";
            default -> "!Objects.equals(" + value + ", " + javaExpression(type) + ")";
        };
    }

    private String number(String natural) {
        return given ? ((BigDecimal) literal).toPlainString() : natural;
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
