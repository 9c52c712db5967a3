package io.fjord.build.messages;

/**
 * Writes a struct's {@code read} and {@code write} methods: every field in wire order, guarded by
 * the versions that carry it, nulls only where the version allows them, then the tagged-field
 * section of flexible versions with unknown tags kept in tag order.
 *
 * <p>Generated readers trust nothing: lengths and counts are checked by {@code WireReader}
 * against the bytes present before anything is allocated, and lists grow with the elements
 * actually read rather than with the count a peer claims.
 */
final class WireCode {

    private final MessageSpec message;
    private final StructSpec struct;
    private final CodeBuffer out;
    /** Whether some version of this struct is flexible, so a tagged-field section exists. */
    private final boolean hasFlexibleVersions;

    WireCode(MessageSpec message, StructSpec struct, CodeBuffer out) {
        this.message = message;
        this.struct = struct;
        this.out = out;
        this.hasFlexibleVersions = !message.flexibleVersions().intersect(struct.versions()).isEmpty();
    }

    void readMethod() {
        out.line("@Override");
        out.open("public void read(WireReader in, short version) {");
        out.line("boolean flexible = version >= FIRST_FLEXIBLE_VERSION;");
        for (FieldSpec f : struct.regularFields()) {
            String present = f.versions().condition("version", struct.versions());
            if (present.equals("true")) {
                readValue(f, "this." + f.javaName(), "in");
            } else {
                out.open("if (" + present + ") {");
                readValue(f, "this." + f.javaName(), "in");
                out.reopen("} else {");
                out.line("this." + f.javaName() + " = " + f.defaultValue().javaExpression(f.type()) + ";");
                out.close();
            }
        }
        for (FieldSpec f : struct.taggedFields()) {
            out.line("this." + f.javaName() + " = " + f.defaultValue().javaExpression(f.type()) + ";");
        }
        out.line("this.unknownTaggedFields = null;");
        if (hasFlexibleVersions) {
            readTaggedFields();
        }
        out.close().blank();
    }

    private void readTaggedFields() {
        out.open("if (flexible) {");
        out.line("int tagCount = in.readTaggedFieldCount();");
        out.open("for (int t = 0; t < tagCount; t++) {");
        out.line("int tag = in.readUnsignedVarint();");
        out.line("WireReader field = in.readTaggedField();");
        String keep = "this.unknownTaggedFields = RawTaggedField.add(this.unknownTaggedFields, tag, field);";
        if (struct.taggedFields().isEmpty()) {
            out.line(keep);
        } else {
            out.open("switch (tag) {");
            for (FieldSpec f : struct.taggedFields()) {
                out.open("case " + f.tag() + " -> {");
                String present = f.versions().condition("version", struct.versions());
                out.open("if (" + present + ") {");
                readValue(f, "this." + f.javaName(), "field");
                out.line("field.requireFullyRead(\"tagged field " + f.tag() + " of " + struct.name() + "\");");
                out.reopen("} else {");
                out.line(keep);
                out.close();
                out.close();
            }
            out.line("default -> " + keep);
            out.close();
        }
        out.close();
        out.close();
    }

    /** Reads one value of field {@code f} from {@code reader} into {@code target}. */
    private void readValue(FieldSpec f, String target, String reader) {
        FieldType type = f.type();
        String nullable = f.nullableVersions().condition("version", f.versions());
        switch (type.kind()) {
            case ARRAY -> readArray(f, target, reader, nullable);
            case STRUCT -> {
                String read = "new " + type.structName() + "(" + reader + ", version)";
                if (nullable.equals("false")) {
                    out.line(target + " = " + read + ";");
                } else if (nullable.equals("true")) {
                    out.line(target + " = " + reader + ".readByte() < 0 ? null : " + read + ";");
                } else {
                    out.line(target + " = " + nullable + " && " + reader + ".readByte() < 0 ? null : " + read + ";");
                }
            }
            default -> out.line(target + " = " + type.readCall(reader, nullable) + ";");
        }
    }

    private void readArray(FieldSpec f, String target, String reader, String nullable) {
        FieldType element = f.type().element();
        String count = f.javaName() + "Count";
        out.open("{");
        out.line("int " + count + " = " + reader + ".readArrayLength(flexible, " + nullable + ", "
                + element.kind().minWireSize + ");");
        boolean mayBeNull = !nullable.equals("false");
        if (mayBeNull) {
            out.open("if (" + count + " < 0) {").line(target + " = null;").reopen("} else {");
        }
        // A numeric count is already bounded by the bytes present; others grow as elements arrive.
        String capacity = element.isJavaPrimitive() || element.kind() == FieldType.Kind.UUID ? count
                : "Math.min(" + count + ", 64)";
        String list = f.javaName() + "List";
        out.line("List<" + element.boxedType() + "> " + list + " = new ArrayList<>(" + capacity + ");");
        String read = element.isStruct() ? "new " + element.structName() + "(" + reader + ", version)"
                : element.readCall(reader, "false");
        out.open("for (int i = 0; i < " + count + "; i++) {").line(list + ".add(" + read + ");").close();
        out.line(target + " = " + list + ";");
        if (mayBeNull) {
            out.close();
        }
        out.close();
    }

    void writeMethod() {
        out.line("@Override");
        out.open("public void write(WireWriter out, short version) {");
        out.line("boolean flexible = version >= FIRST_FLEXIBLE_VERSION;");
        for (FieldSpec f : struct.regularFields()) {
            String present = f.versions().condition("version", struct.versions());
            if (present.equals("true")) {
                writeValue(f, "this." + f.javaName(), "out");
            } else {
                out.open("if (" + present + ") {");
                writeValue(f, "this." + f.javaName(), "out");
                out.close();
            }
        }
        if (hasFlexibleVersions) {
            writeTaggedFields();
        }
        out.close().blank();
    }

    private void writeTaggedFields() {
        out.open("if (flexible) {");
        out.line("List<RawTaggedField> unknown = unknownTaggedFields == null ? List.of() : unknownTaggedFields;");
        if (struct.taggedFields().isEmpty()) {
            out.line("out.writeUnsignedVarint(unknown.size());");
            out.line("out.writeRawTaggedFields(unknown, 0, Integer.MAX_VALUE);");
            out.close();
            return;
        }
        out.line("int tagCount = unknown.size();");
        for (FieldSpec f : struct.taggedFields()) {
            String present = f.versions().condition("version", struct.versions());
            String differs = f.defaultValue().differsExpression(f.type(), "this." + f.javaName());
            out.line("boolean write" + f.name() + " = " + (present.equals("true") ? "" : "(" + present + ") && ")
                    + differs + ";");
            out.open("if (write" + f.name() + ") {").line("tagCount++;").close();
        }
        out.line("out.writeUnsignedVarint(tagCount);");
        out.line("int nextUnknown = 0;");
        for (FieldSpec f : struct.taggedFields()) {
            out.line("nextUnknown = out.writeRawTaggedFields(unknown, nextUnknown, " + f.tag() + ");");
            out.open("if (write" + f.name() + ") {");
            out.line("WireWriter field = new WireWriter(32);");
            writeValue(f, "this." + f.javaName(), "field");
            out.line("out.writeTaggedField(" + f.tag() + ", field.finishAsBuffer());");
            out.close();
        }
        out.line("out.writeRawTaggedFields(unknown, nextUnknown, Integer.MAX_VALUE);");
        out.close();
    }

    /** Writes one value of field {@code f} held in {@code value} to {@code writer}. */
    private void writeValue(FieldSpec f, String value, String writer) {
        FieldType type = f.type();
        String nullable = f.nullableVersions().condition("version", f.versions());
        String refuse = "throw new IllegalArgumentException(\"" + struct.name() + "." + f.javaName()
                + " may not be null in version \" + version);";
        switch (type.kind()) {
            case ARRAY -> writeArray(f, value, writer, nullable, refuse);
            case STRUCT -> {
                if (nullable.equals("false")) {
                    out.open("if (" + value + " == null) {").line(refuse).close();
                    out.line(value + ".write(" + writer + ", version);");
                } else {
                    if (!nullable.equals("true")) {
                        out.open("if (!(" + nullable + ")) {");
                        out.open("if (" + value + " == null) {").line(refuse).close();
                        out.line(value + ".write(" + writer + ", version);");
                        out.reopen("} else if (" + value + " == null) {");
                    } else {
                        out.open("if (" + value + " == null) {");
                    }
                    out.line(writer + ".writeByte((byte) -1);");
                    out.reopen("} else {");
                    out.line(writer + ".writeByte((byte) 1);");
                    out.line(value + ".write(" + writer + ", version);");
                    out.close();
                }
            }
            default -> {
                if (type.canBeNull() && !nullable.equals("true")) {
                    String check = nullable.equals("false") ? value + " == null"
                            : value + " == null && !(" + nullable + ")";
                    out.open("if (" + check + ") {").line(refuse).close();
                }
                out.line(type.writeCall(writer, value) + ";");
            }
        }
    }

    private void writeArray(FieldSpec f, String value, String writer, String nullable, String refuse) {
        FieldType element = f.type().element();
        out.open("if (" + value + " == null) {");
        switch (nullable) {
            case "true" -> out.line(writer + ".writeArrayLength(-1, flexible);");
            case "false" -> out.line(refuse);
            default -> out.open("if (" + nullable + ") {").line(writer + ".writeArrayLength(-1, flexible);")
                    .reopen("} else {").line(refuse).close();
        }
        out.reopen("} else {");
        out.line(writer + ".writeArrayLength(" + value + ".size(), flexible);");
        out.open("for (" + element.boxedType() + " element : " + value + ") {");
        if (element.isStruct()) {
            out.line("element.write(" + writer + ", version);");
        } else {
            if (element.canBeNull()) {
                out.open("if (element == null) {").line("throw new IllegalArgumentException(\"" + struct.name()
                        + "." + f.javaName() + " holds a null element\");").close();
            }
            out.line(element.writeCall(writer, "element") + ";");
        }
        out.close();
        out.close();
    }
}
