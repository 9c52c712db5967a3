package io.fjord.protocol.schema;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The values of one struct of a message, one slot per field of its {@link Schema}, by name or by
 * {@link Field}. Fields that a version does not carry hold their default. See {@link Type} for
 * the Java class of each type's values.
 *
 * <p>Buffer ownership: a decoded struct's {@code BYTES} and {@code RECORDS} values are slices of
 * the decoded buffer, not copies.
 *
 * <p>Not thread-safe; a struct is built or read by one thread at a time.
 */
public final class Struct {
    private final Schema schema;
    private final Object[] values;

    Struct(Schema schema) {
        this.schema = schema;
        this.values = new Object[schema.fieldCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = schema.fieldAt(i).defaultValue();
        }
    }

    public Schema schema() {
        return schema;
    }

    public Object get(Field field) {
        return values[checked(field)];
    }

    public Object get(String name) {
        return values[schema.field(name).index()];
    }

    private int checked(Field field) {
        int index = field.index();
        if (index < 0 || index >= values.length || schema.fieldAt(index) != field) {
            throw new IllegalArgumentException(field + " is not a field of this struct");
        }
        return index;
    }

    /** Sets a value; numbers are converted to the field's type. Returns this struct. */
    public Struct set(Field field, Object value) {
        values[checked(field)] = field.normalize(value);
        return this;
    }

    public Struct set(String name, Object value) {
        Field f = schema.field(name);
        values[f.index()] = f.normalize(value);
        return this;
    }

    void setDecoded(int index, Object value) {
        values[index] = value;
    }

    Object valueAt(int index) {
        return values[index];
    }

    public byte getByte(String name) {
        return (Byte) get(name);
    }

    public short getShort(String name) {
        return (Short) get(name);
    }

    public int getInt(String name) {
        return (Integer) get(name);
    }

    public long getLong(String name) {
        return (Long) get(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    public UUID getUuid(String name) {
        return (UUID) get(name);
    }

    /** A {@code BYTES} value as a view positioned at its start, or {@code null}. */
    public ByteBuffer getBytes(String name) {
        ByteBuffer b = (ByteBuffer) get(name);
        return b == null ? null : b.duplicate();
    }

    /** A decoded {@code RECORDS} value: a view of the request bytes, not a copy; or {@code null}. */
    public ByteBuffer getRecords(String name) {
        Object value = get(name);
        return value == null ? null : ((ByteBuffer) value).duplicate();
    }

    /** An array of INT32; the array is shared with the struct. */
    public int[] getIntArray(String name) {
        return (int[]) get(name);
    }

    /** An array of structs, or {@code null} for a null array. */
    @SuppressWarnings("unchecked")
    public List<Struct> getStructArray(String name) {
        return (List<Struct>) get(name);
    }

    /** An array of a primitive type other than INT32, or {@code null}. */
    @SuppressWarnings("unchecked")
    public <T> List<T> getArray(String name) {
        return (List<T>) get(name);
    }

    /**
     * Appends a new struct with default values to the struct array {@code name} (turning a null or
     * default array into a fresh list) and returns it for filling in.
     */
    public Struct addElement(String name) {
        Field f = schema.field(name);
        Type element = f.type().elementType();
        if (element == null || element.kind() != Type.Kind.STRUCT) {
            throw new IllegalArgumentException(name + " is not an array of structs");
        }
        Object current = values[f.index()];
        List<Struct> list;
        if (current instanceof ArrayList<?>) {
            @SuppressWarnings("unchecked")
            List<Struct> existing = (List<Struct>) current;
            list = existing;
        } else {
            list = new ArrayList<>();
            if (current != null) {
                @SuppressWarnings("unchecked")
                List<Struct> old = (List<Struct>) current;
                list.addAll(old);
            }
            values[f.index()] = list;
        }
        Struct child = element.schema().newStruct();
        list.add(child);
        return child;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Struct other) || other.schema != schema) {
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (!valueEquals(values[i], other.values[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof int[] x && b instanceof int[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Object v : values) {
            h = 31 * h + (v instanceof int[] a ? Arrays.hashCode(a) : Objects.hashCode(v));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            Object v = values[i];
            b.append(schema.fieldAt(i).name()).append('=');
            if (v instanceof int[] a) {
                b.append(Arrays.toString(a));
            } else if (v instanceof ByteBuffer buf) {
                b.append(buf.remaining()).append(" bytes");
            } else {
                b.append(v);
            }
        }
        return b.append('}').toString();
    }
}
