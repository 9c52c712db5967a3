package io.fjord.build.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns a {@link MessageSpec} into the Java source of its class: a public final class named like
 * the message, implementing {@code ApiMessage} (requests and responses) or {@code Message} (data),
 * with one static nested class per nested struct.
 */
final class MessageGenerator {

    private static final String MESSAGE_PACKAGE = "io.fjord.protocol.message";
    private static final String TYPES_PACKAGE = "io.fjord.protocol.types";

    private final String packageName;

    MessageGenerator(String packageName) {
        this.packageName = packageName;
    }

    String generate(MessageSpec spec, String specFileName) {
        CodeBuffer out = new CodeBuffer(0);
        out.line("// Generated from " + specFileName + " by Fjord's message generator: edit the spec, not this file.");
        out.line("package " + packageName + ";");
        out.blank();
        for (String type : imports(spec)) {
            out.line("import " + type + ";");
        }
        out.blank();
        out.javadoc(classDoc(spec));
        String iface = spec.kind() == MessageSpec.Kind.DATA ? "Message" : "ApiMessage";
        out.open("public final class " + spec.name() + " implements " + iface + " {");
        constants(spec, out);
        new StructCode(spec, spec.root(), out).members();
        for (StructSpec nested : spec.nested()) {
            out.blank();
            out.javadoc("A " + nested.name() + " of " + spec.name() + ", in versions " + nested.versions() + ".");
            out.open("public static final class " + nested.name() + " implements Message {");
            new StructCode(spec, nested, out).members();
            out.close();
        }
        out.close();
        return out.toString();
    }

    private static String[] classDoc(MessageSpec spec) {
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(spec.about());
        String kind = switch (spec.kind()) {
            case REQUEST -> "Request of API key " + spec.apiKey();
            case RESPONSE -> "Response of API key " + spec.apiKey();
            case DATA -> "Data";
        };
        String flexible = spec.flexibleVersions().isEmpty() ? "none"
                : spec.flexibleVersions().intersect(spec.versions()).isEmpty()
                        ? "from " + spec.flexibleVersions().lowest() + ", none of them generated"
                        : spec.flexibleVersions().intersect(spec.versions()).toString();
        paragraphs.add(kind + ", versions " + spec.versions() + "; flexible versions: " + flexible + ".");
        paragraphs.add("Version history: " + String.join("; ", spec.history()) + ".");
        return paragraphs.toArray(String[]::new);
    }

    private static void constants(MessageSpec spec, CodeBuffer out) {
        if (spec.kind() != MessageSpec.Kind.DATA) {
            out.line("public static final short API_KEY = " + spec.apiKey() + ";");
        }
        out.line("public static final short LOWEST_VERSION = " + spec.versions().lowest() + ";");
        out.line("public static final short HIGHEST_VERSION = " + spec.versions().highest() + ";");
        out.line("/** The first version with compact encodings and tagged fields; Short.MAX_VALUE for none. */");
        out.line("public static final short FIRST_FLEXIBLE_VERSION = "
                + (spec.firstFlexibleVersion() == Short.MAX_VALUE ? "Short.MAX_VALUE" : spec.firstFlexibleVersion())
                + ";");
        if (uses(spec, FieldType.Kind.UUID)) {
            out.line("private static final UUID ZERO_UUID = new UUID(0L, 0L);");
        }
        if (uses(spec, FieldType.Kind.BYTES)) {
            out.line("private static final ByteBuffer EMPTY_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();");
        }
        if (uses(spec, FieldType.Kind.RECORDS)) {
            out.line("private static final RecordSet EMPTY_RECORDS = MemoryRecordSet.readOnly(ByteBuffer.allocate(0));");
        }
        out.blank();
    }

    private List<String> imports(MessageSpec spec) {
        TreeSet<String> types = new TreeSet<>();
        if (!packageName.equals(MESSAGE_PACKAGE)) {
            types.add(MESSAGE_PACKAGE + (spec.kind() == MessageSpec.Kind.DATA ? ".Message" : ".ApiMessage"));
        }
        if (!spec.nested().isEmpty() && !packageName.equals(MESSAGE_PACKAGE)) {
            types.add(MESSAGE_PACKAGE + ".Message");
        }
        types.add(TYPES_PACKAGE + ".RawTaggedField");
        types.add(TYPES_PACKAGE + ".WireReader");
        types.add(TYPES_PACKAGE + ".WireWriter");
        if (uses(spec, FieldType.Kind.RECORDS)) {
            types.add(TYPES_PACKAGE + ".RecordSet");
            types.add(TYPES_PACKAGE + ".MemoryRecordSet");
        }
        if (uses(spec, FieldType.Kind.BYTES) || uses(spec, FieldType.Kind.RECORDS)) {
            types.add("java.nio.ByteBuffer");
        }
        if (uses(spec, FieldType.Kind.UUID)) {
            types.add("java.util.UUID");
        }
        types.add("java.util.ArrayList");
        types.add("java.util.List");
        boolean objects = allStructs(spec).stream().flatMap(s -> s.fields().stream())
                .anyMatch(f -> !f.type().isJavaPrimitive());
        if (objects) {
            types.add("java.util.Objects");
        }
        return List.copyOf(types);
    }

    private static List<StructSpec> allStructs(MessageSpec spec) {
        List<StructSpec> all = new ArrayList<>();
        all.add(spec.root());
        all.addAll(spec.nested());
        return all;
    }

    private static boolean uses(MessageSpec spec, FieldType.Kind kind) {
        return allStructs(spec).stream().flatMap(s -> s.fields().stream())
                .anyMatch(f -> f.type().kind() == kind || (f.type().isArray() && f.type().element().kind() == kind));
    }
}
