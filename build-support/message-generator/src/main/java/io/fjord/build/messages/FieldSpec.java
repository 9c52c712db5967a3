package io.fjord.build.messages;

/**
 * One field of a struct, as its spec declares it.
 *
 * @param name the spec's upper camel case name ({@code TopicData}); Java uses it in lower camel case
 * @param type the field's type
 * @param versions the versions that carry the field (for a tagged field: carry it as a tag)
 * @param nullableVersions the versions in which the value may be null; empty for most fields
 * @param tag the tag of a tagged field, or -1 for a field written in order
 * @param defaultValue the value when a version does not carry the field: a JSON literal's text,
 *     {@code null} for the type's natural default
 * @param about what the field means, for the generated accessor's documentation
 */
record FieldSpec(String name, FieldType type, Versions versions, Versions nullableVersions, int tag,
        DefaultValue defaultValue, String about) {

    boolean isTagged() {
        return tag >= 0;
    }

    /** The Java name: lower camel case. */
    String javaName() {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    /** The setter's name. */
    String setterName() {
        return "set" + name;
    }
}
