package io.fjord.protocol.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of a struct across all versions of a message: its fields in wire order, some present
 * only in some versions, and its tagged fields (flexible versions only).
 *
 * <p>Invariant: field names are unique; tags are unique; the order of the non-tagged fields is the
 * order on the wire. Immutable and shared.
 */
public final class Schema {
    private static final int CACHED_VERSIONS = 32;

    private final Field[] fields;
    private final Field[] regularFields;
    private final Field[] taggedFields;
    private final Map<String, Field> byName;
    private final int[] minSizes;

    private Schema(Field[] declared) {
        fields = new Field[declared.length];
        byName = new HashMap<>();
        List<Field> regular = new ArrayList<>();
        List<Field> tagged = new ArrayList<>();
        for (int i = 0; i < declared.length; i++) {
            Field f = declared[i].withIndex(i);
            fields[i] = f;
            if (byName.put(f.name(), f) != null) {
                throw new IllegalArgumentException("duplicate field " + f.name());
            }
            (f.isTagged() ? tagged : regular).add(f);
        }
        tagged.sort(Comparator.comparingInt(Field::tag));
        for (int i = 1; i < tagged.size(); i++) {
            if (tagged.get(i).tag() == tagged.get(i - 1).tag()) {
                throw new IllegalArgumentException("duplicate tag " + tagged.get(i).tag());
            }
        }
        regularFields = regular.toArray(new Field[0]);
        taggedFields = tagged.toArray(new Field[0]);
        minSizes = new int[CACHED_VERSIONS * 2];
        for (int v = 0; v < CACHED_VERSIONS; v++) {
            minSizes[2 * v] = computeMinSize((short) v, false);
            minSizes[2 * v + 1] = computeMinSize((short) v, true);
        }
    }

    /** A struct layout with the given fields, in wire order. */
    public static Schema of(Field... fields) {
        return new Schema(fields.clone());
    }

    /** All fields, tagged ones included, in declaration order. */
    public List<Field> fields() {
        return List.of(fields);
    }

    int fieldCount() {
        return fields.length;
    }

    Field fieldAt(int index) {
        return fields[index];
    }

    Field[] regularFields() {
        return regularFields;
    }

    Field[] taggedFields() {
        return taggedFields;
    }

    /** The field called {@code name}; unknown names are a programming error. */
    public Field field(String name) {
        Field f = byName.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no field " + name + " in " + byName.keySet());
        }
        return f;
    }

    public boolean hasField(String name) {
        return byName.containsKey(name);
    }

    /** A struct of this schema with every field at its default value. */
    public Struct newStruct() {
        return new Struct(this);
    }

    /** The fewest bytes a struct of this schema takes in the given version. */
    int minSize(short version, boolean flexible) {
        if (version >= 0 && version < CACHED_VERSIONS) {
            return minSizes[2 * version + (flexible ? 1 : 0)];
        }
        return computeMinSize(version, flexible);
    }

    private int computeMinSize(short version, boolean flexible) {
        int size = flexible ? 1 : 0; // the tagged-field count
        for (Field f : regularFields) {
            if (f.isPresentIn(version)) {
                size += f.type().minSize(version, flexible);
            }
        }
        return size;
    }

    @Override
    public String toString() {
        return Arrays.toString(fields);
    }
}
