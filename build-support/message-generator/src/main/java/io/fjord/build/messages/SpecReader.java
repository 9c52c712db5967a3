package io.fjord.build.messages;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a spec file into a {@link MessageSpec}, checking everything the generated code relies on.
 * A mistake in a spec is a build failure naming the file and the field, never a class that
 * compiles and misreads the wire.
 *
 * <p>Checked: known keys only; names in upper camel case, unique in their struct; struct names
 * unique in the message; every field's versions inside its struct's; nullable versions inside the
 * field's and only for types that can be null; tags unique, only in flexible versions; defaults
 * that fit their type; no array element struct that is empty in a version where it is read (an
 * array of empty structs could claim any length without consuming bytes).
 */
final class SpecReader {

    private static final Set<String> MESSAGE_KEYS = Set.of("name", "type", "apiKey", "versions",
            "flexibleVersions", "about", "history", "fields");
    private static final Set<String> FIELD_KEYS = Set.of("name", "type", "versions", "nullableVersions",
            "tag", "default", "about", "fields");
    /** Names the generated classes use for their own methods. */
    private static final Set<String> RESERVED = Set.of("read", "write", "unknownTaggedFields", "lowestVersion",
            "highestVersion", "firstFlexibleVersion",
            "equals", "hashCode", "toString", "getClass", "notify", "wait");
    private static final Set<String> JAVA_KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte",
            "case", "catch", "char", "class", "const", "continue", "default", "do", "double", "else", "enum",
            "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import", "instanceof",
            "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
            "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws",
            "transient", "try", "void", "volatile", "while", "record", "yield", "var");

    private final ObjectMapper json = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Reads and checks one spec; {@link SpecException} names the file and what is wrong. */
    MessageSpec read(Path file) throws IOException {
        JsonNode root;
        try {
            root = json.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpecException(file, "not valid JSON: " + e.getOriginalMessage());
        }
        try {
            MessageSpec spec = message(root);
            String expected = spec.name() + ".json";
            if (!file.getFileName().toString().equals(expected)) {
                throw new IllegalArgumentException("a spec for " + spec.name() + " must be named " + expected);
            }
            return spec;
        } catch (IllegalArgumentException e) {
            throw new SpecException(file, e.getMessage());
        }
    }

    private MessageSpec message(JsonNode node) {
        requireObject(node, "the spec");
        checkKeys(node, MESSAGE_KEYS, "the spec");
        String name = text(node, "name", "the spec");
        checkName(name, "message");
        MessageSpec.Kind kind = switch (text(node, "type", name)) {
            case "request" -> MessageSpec.Kind.REQUEST;
            case "response" -> MessageSpec.Kind.RESPONSE;
            case "data" -> MessageSpec.Kind.DATA;
            default -> throw new IllegalArgumentException(name + ": type must be request, response or data");
        };
        short apiKey = -1;
        if (kind != MessageSpec.Kind.DATA) {
            JsonNode key = node.get("apiKey");
            if (key == null || !key.canConvertToInt() || key.intValue() < 0 || key.intValue() > Short.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": a request or response needs an apiKey");
            }
            apiKey = (short) key.intValue();
        } else if (node.has("apiKey")) {
            throw new IllegalArgumentException(name + ": data has no apiKey");
        }
        Versions versions = versions(node, "versions", name);
        if (versions.isEmpty() || versions.highest() == Short.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": versions must be a closed range such as \"0-7\"");
        }
        Versions flexible = Versions.parse(text(node, "flexibleVersions", name));
        if (!flexible.isEmpty() && flexible.highest() != Short.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": flexibleVersions must be open-ended (\"9+\") or none");
        }
        String about = text(node, "about", name);
        List<String> history = new ArrayList<>();
        JsonNode h = node.get("history");
        if (h == null || !h.isArray() || h.isEmpty()) {
            throw new IllegalArgumentException(name + ": history must list what each version changed");
        }
        for (JsonNode line : h) {
            if (!line.isTextual() || line.asText().isBlank()) {
                throw new IllegalArgumentException(name + ": history lines are non-empty strings");
            }
            history.add(line.asText());
        }
        Map<String, StructSpec> nested = new LinkedHashMap<>();
        List<FieldSpec> fields = fields(node, name, versions, flexible, nested);
        if (kind != MessageSpec.Kind.DATA && fields.stream().anyMatch(f -> f.javaName().equals("apiKey"))) {
            throw new IllegalArgumentException(name + ": a top-level field may not be named ApiKey");
        }
        if (nested.containsKey(name)) {
            throw new IllegalArgumentException(name + ": a nested struct may not be named like the message");
        }
        StructSpec rootStruct = new StructSpec(name, versions, fields);
        return new MessageSpec(kind, apiKey, versions, flexible, about, history, rootStruct,
                List.copyOf(nested.values()));
    }

    private List<FieldSpec> fields(JsonNode node, String owner, Versions structVersions, Versions flexible,
            Map<String, StructSpec> nested) {
        JsonNode array = node.get("fields");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException(owner + ": needs a fields array");
        }
        List<FieldSpec> fields = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> tags = new HashSet<>();
        for (JsonNode f : array) {
            FieldSpec field = field(f, owner, structVersions, flexible, nested);
            if (!names.add(field.javaName())) {
                throw new IllegalArgumentException(owner + ": two fields named " + field.name());
            }
            if (field.isTagged() && !tags.add(field.tag())) {
                throw new IllegalArgumentException(owner + ": two fields with tag " + field.tag());
            }
            fields.add(field);
        }
        return fields;
    }

    private FieldSpec field(JsonNode node, String owner, Versions structVersions, Versions flexible,
            Map<String, StructSpec> nested) {
        requireObject(node, owner + " field");
        String name = text(node, "name", owner + " field");
        String where = owner + "." + name;
        checkKeys(node, FIELD_KEYS, where);
        checkName(name, "field");
        FieldType type;
        try {
            type = FieldType.parse(text(node, "type", where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        Versions versions = versions(node, "versions", where);
        if (versions.intersect(structVersions).isEmpty()) {
            throw new IllegalArgumentException(where + ": versions " + versions + " do not meet its struct's "
                    + structVersions);
        }
        versions = versions.intersect(structVersions);
        Versions nullable = node.has("nullableVersions") ? versions(node, "nullableVersions", where) : Versions.NONE;
        if (!nullable.isEmpty()) {
            if (!type.canBeNull()) {
                throw new IllegalArgumentException(where + ": a " + type + " cannot be null");
            }
            nullable = nullable.intersect(versions);
            if (nullable.isEmpty()) {
                throw new IllegalArgumentException(where + ": nullableVersions lie outside its versions");
            }
        }
        int tag = -1;
        if (node.has("tag")) {
            JsonNode t = node.get("tag");
            if (!t.canConvertToInt() || t.intValue() < 0) {
                throw new IllegalArgumentException(where + ": tag must be a non-negative integer");
            }
            tag = t.intValue();
            if (flexible.isEmpty() || !flexible.contains(versions)) {
                throw new IllegalArgumentException(where + ": a tagged field exists only in flexible versions");
            }
        }
        DefaultValue defaultValue = node.has("default") ? DefaultValue.of(literal(node.get("default"), where))
                : DefaultValue.NATURAL;
        try {
            defaultValue.check(type, !nullable.isEmpty());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        String about = text(node, "about", where);
        String structName = type.structOrElementStruct();
        if (structName != null) {
            if (nested.containsKey(structName)) {
                throw new IllegalArgumentException(where + ": struct " + structName + " is declared twice");
            }
            nested.put(structName, null); // keeps the declaration order: a struct before the ones inside it
            StructSpec struct = new StructSpec(structName, versions, fields(node, structName, versions, flexible, nested));
            if (type.isArray()) {
                checkNotEmpty(struct, flexible);
            }
            nested.put(structName, struct);
        } else if (node.has("fields")) {
            throw new IllegalArgumentException(where + ": only struct types have fields");
        }
        return new FieldSpec(name, type, versions, nullable, tag, defaultValue, about);
    }

    private static void checkNotEmpty(StructSpec struct, Versions flexible) {
        for (short v = struct.versions().lowest(); v <= Math.min(struct.versions().highest(), 512); v++) {
            if (flexible.contains(v)) {
                continue; // the tagged-field count is always at least one byte
            }
            short version = v;
            boolean hasBytes = struct.regularFields().stream().anyMatch(f -> f.versions().contains(version));
            if (!hasBytes) {
                throw new IllegalArgumentException(struct.name() + " has no bytes in version " + v);
            }
        }
    }

    private static Object literal(JsonNode value, String where) {
        if (value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        throw new IllegalArgumentException(where + ": a default is a JSON number, string, boolean or null");
    }

    private static Versions versions(JsonNode node, String key, String where) {
        try {
            return Versions.parse(text(node, key, where));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + key + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": needs a non-empty string '" + key + "'");
        }
        return value.asText();
    }

    private static void requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'");
            }
        }
    }

    private static void checkName(String name, String what) {
        if (!name.matches("[A-Z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException(what + " name '" + name + "' is not upper camel case");
        }
        String javaName = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        if (RESERVED.contains(javaName) || JAVA_KEYWORDS.contains(javaName.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(what + " name '" + name + "' clashes with a Java keyword or a generated method");
        }
    }
}
