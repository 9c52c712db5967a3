package io.fjord.build.messages;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes one struct class: its fields, constructors, typed getters and fluent setters, the
 * unknown tagged fields it keeps, and {@code equals}, {@code hashCode} and {@code toString}. The
 * wire code comes from {@link WireCode}.
 */
final class StructCode {

    private final MessageSpec message;
    private final StructSpec struct;
    private final CodeBuffer out;

    StructCode(MessageSpec message, StructSpec struct, CodeBuffer out) {
        this.message = message;
        this.struct = struct;
        this.out = out;
    }

    /** The members of the class, between its braces. */
    void members() {
        for (FieldSpec f : struct.fields()) {
            out.line("private " + f.type().javaType() + " " + f.javaName() + ";");
        }
        out.line("private List<RawTaggedField> unknownTaggedFields;");
        out.blank();
        constructors();
        if (struct == message.root() && message.kind() != MessageSpec.Kind.DATA) {
            out.line("@Override");
            out.open("public short apiKey() {").line("return API_KEY;").close().blank();
            out.line("@Override");
            out.open("public short lowestVersion() {").line("return LOWEST_VERSION;").close().blank();
            out.line("@Override");
            out.open("public short highestVersion() {").line("return HIGHEST_VERSION;").close().blank();
            out.line("@Override");
            out.open("public short firstFlexibleVersion() {").line("return FIRST_FLEXIBLE_VERSION;").close().blank();
        }
        for (FieldSpec f : struct.fields()) {
            accessors(f);
        }
        unknownTaggedFields();
        new WireCode(message, struct, out).readMethod();
        new WireCode(message, struct, out).writeMethod();
        equalsAndHashCode();
        toStringMethod();
    }

    private void constructors() {
        String name = struct.name();
        out.javadoc("A " + name + " with every field at its default.");
        out.open("public " + name + "() {");
        for (FieldSpec f : struct.fields()) {
            out.line("this." + f.javaName() + " = " + f.defaultValue().javaExpression(f.type()) + ";");
        }
        out.close().blank();
        out.javadoc("Reads a " + name + " of the given version; malformed input throws the reader's ProtocolException.");
        out.open("public " + name + "(WireReader in, short version) {").line("read(in, version);").close().blank();
    }

    private void accessors(FieldSpec f) {
        List<String> doc = new ArrayList<>();
        doc.add(f.about());
        doc.add(presence(f));
        out.javadoc(doc.toArray(String[]::new));
        out.open("public " + f.type().javaType() + " " + f.javaName() + "() {")
                .line("return " + f.javaName() + ";").close().blank();
        out.line("/** Sets {@link #" + f.javaName() + "()}; returns this " + struct.name() + ". */");
        out.open("public " + struct.name() + " " + f.setterName() + "(" + f.type().javaType() + " value) {")
                .line("this." + f.javaName() + " = value;")
                .line("return this;").close().blank();
    }

    /** The versions sentence of a field's documentation. */
    private String presence(FieldSpec f) {
        StringBuilder s = new StringBuilder(f.isTagged() ? "Tagged field " + f.tag() + ", in versions "
                : "In versions ");
        s.append(f.versions());
        if (!f.nullableVersions().isEmpty()) {
            s.append("; may be null in versions ").append(f.nullableVersions());
        }
        return s.append('.').toString();
    }

    private void unknownTaggedFields() {
        out.line("@Override");
        out.open("public List<RawTaggedField> unknownTaggedFields() {");
        out.open("if (unknownTaggedFields == null) {").line("unknownTaggedFields = new ArrayList<>(0);").close();
        out.line("return unknownTaggedFields;");
        out.close().blank();
    }

    private void equalsAndHashCode() {
        String name = struct.name();
        out.line("@Override");
        out.open("public boolean equals(Object o) {");
        out.open("if (this == o) {").line("return true;").close();
        out.open("if (!(o instanceof " + name + " other)) {").line("return false;").close();
        List<String> terms = new ArrayList<>();
        for (FieldSpec f : struct.fields()) {
            String a = f.javaName();
            terms.add(switch (f.type().kind()) {
                case FLOAT64 -> "Double.compare(" + a + ", other." + a + ") == 0";
                case INT8, INT16, INT32, INT64, UINT16, BOOL -> a + " == other." + a;
                default -> "Objects.equals(" + a + ", other." + a + ")";
            });
        }
        terms.add("RawTaggedField.sameFields(unknownTaggedFields, other.unknownTaggedFields)");
        for (int i = 0; i < terms.size(); i++) {
            String end = i == terms.size() - 1 ? ";" : "";
            out.line((i == 0 ? "return " : "        && ") + terms.get(i) + end);
        }
        out.close().blank();

        out.line("@Override");
        out.open("public int hashCode() {");
        out.line("int hash = 0;");
        for (FieldSpec f : struct.fields()) {
            String a = f.javaName();
            String term = f.type().isJavaPrimitive() ? f.type().kind().boxedType + ".hashCode(" + a + ")"
                    : "Objects.hashCode(" + a + ")";
            out.line("hash = 31 * hash + " + term + ";");
        }
        out.line("return 31 * hash + RawTaggedField.hashOf(unknownTaggedFields);");
        out.close().blank();
    }

    private void toStringMethod() {
        out.line("@Override");
        out.open("public String toString() {");
        List<String> parts = new ArrayList<>();
        for (FieldSpec f : struct.fields()) {
            parts.add("\"" + (parts.isEmpty() ? "" : ", ") + f.javaName() + "=\" + " + f.javaName());
        }
        out.line("return \"" + struct.name() + "(\"");
        for (String part : parts) {
            out.line("        + " + part);
        }
        out.line("        + \")\";");
        out.close();
    }
}
