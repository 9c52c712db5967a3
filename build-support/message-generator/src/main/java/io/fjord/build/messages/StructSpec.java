package io.fjord.build.messages;

import java.util.List;

/**
 * A struct: the message itself, or a struct nested in it (the element of an array field, or the
 * value of a struct field).
 *
 * @param name the Java class name
 * @param versions the versions in which the struct appears on the wire
 * @param fields the fields in wire order, tagged ones included where declared
 */
record StructSpec(String name, Versions versions, List<FieldSpec> fields) {

    List<FieldSpec> regularFields() {
        return fields.stream().filter(f -> !f.isTagged()).toList();
    }

    /** Tagged fields in ascending tag order, the order they are written in. */
    List<FieldSpec> taggedFields() {
        return fields.stream().filter(FieldSpec::isTagged)
                .sorted(java.util.Comparator.comparingInt(FieldSpec::tag)).toList();
    }
}
