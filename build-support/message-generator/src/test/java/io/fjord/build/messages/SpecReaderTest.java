package io.fjord.build.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A spec that the generated code could not honour is a build failure naming the file and the field. */
class SpecReaderTest {

    @TempDir
    Path dir;

    private static final String GOOD = """
            {
              "name": "SampleRequest", "type": "request", "apiKey": 99, "versions": "0-3", "flexibleVersions": "2+",
              "about": "A sample.", "history": ["v0: first", "v1-3: more"],
              "fields": [
                { "name": "Topic", "type": "string", "versions": "0+", "nullableVersions": "1+", "about": "A topic." },
                { "name": "Parts", "type": "[]Part", "versions": "0+", "about": "Parts.", "fields": [
                  { "name": "Index", "type": "int32", "versions": "0+", "about": "An index." },
                  { "name": "Note", "type": "string", "versions": "2+", "tag": 0, "about": "A tagged note." }
                ]},
                { "name": "Epoch", "type": "int64", "versions": "3+", "default": -1, "about": "From v3." }
              ]
            }
            """;

    private Path spec(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name + ".json"), json);
    }

    private String refusal(String json) throws IOException {
        Path file = spec("SampleRequest", json);
        return assertThrows(SpecException.class, () -> new SpecReader().read(file)).getMessage();
    }

    @Test
    void aGoodSpecIsReadWithItsVersionsAndNestedStructs() throws IOException {
        MessageSpec spec = new SpecReader().read(spec("SampleRequest", GOOD));
        assertEquals(MessageSpec.Kind.REQUEST, spec.kind());
        assertEquals(99, spec.apiKey());
        assertEquals(2, spec.firstFlexibleVersion());
        assertEquals(3, spec.root().fields().size());
        assertEquals("Part", spec.nested().get(0).name());
        FieldSpec note = spec.nested().get(0).taggedFields().get(0);
        assertEquals(0, note.tag());
        assertEquals(Versions.parse("2-3"), note.versions(), "clipped to the message's versions");
        String source = new MessageGenerator("io.fjord.sample").generate(spec, "SampleRequest.json");
        assertTrue(source.contains("public final class SampleRequest implements ApiMessage"), source);
        assertTrue(source.contains("if (version >= 3) {"), "fields outside a version are guarded");
        assertTrue(source.contains("in.readString(flexible, version >= 1)"), "nullability per version");
    }

    @Test
    void mistakesAreRefusedWithTheFieldNamed() throws IOException {
        assertTrue(refusal(GOOD.replace("\"about\": \"An index.\"", "\"about\": \"An index.\", \"abuot\": 1"))
                .contains("SampleRequest.json: Part.Index: unknown key 'abuot'"));
        assertTrue(refusal(GOOD.replace("\"name\": \"Epoch\", \"type\": \"int64\"", "\"name\": \"Epoch\", \"type\": \"int65\""))
                .contains("unknown type 'int65'"));
        assertTrue(refusal(GOOD.replace("\"default\": -1", "\"default\": -1, \"nullableVersions\": \"3+\""))
                .contains("a int64 cannot be null"));
        assertTrue(refusal(GOOD.replace("\"versions\": \"2+\", \"tag\": 0", "\"versions\": \"1+\", \"tag\": 0"))
                .contains("a tagged field exists only in flexible versions"));
        assertTrue(refusal(GOOD.replace("\"default\": -1", "\"default\": \"soon\""))
                .contains("the default must be an integer"));
        assertTrue(refusal(GOOD.replace("\"default\": -1", "\"default\": 9223372036854775808"))
                .contains("outside"));
        assertTrue(refusal(GOOD.replace("\"name\": \"Epoch\"", "\"name\": \"epoch\""))
                .contains("is not upper camel case"));
        assertTrue(refusal(GOOD.replace("\"name\": \"Epoch\"", "\"name\": \"Topic\""))
                .contains("two fields named Topic"));
        assertTrue(refusal(GOOD.replace("\"history\": [\"v0: first\", \"v1-3: more\"]", "\"history\": []"))
                .contains("history must list what each version changed"));
        assertTrue(refusal(GOOD.replace("\"versions\": \"0-3\"", "\"versions\": \"0+\""))
                .contains("versions must be a closed range"));
        assertTrue(refusal(GOOD.replace("\"name\": \"Epoch\"", "\"name\": \"Default\""))
                .contains("clashes with a Java keyword"));
        assertTrue(refusal("{ \"name\": ").contains("not valid JSON"));
        Path misnamed = spec("Other", GOOD);
        assertTrue(assertThrows(SpecException.class, () -> new SpecReader().read(misnamed)).getMessage()
                .contains("must be named SampleRequest.json"));
    }

    @Test
    void anArrayOfStructsWithNoBytesInSomeVersionIsRefused() throws IOException {
        String empty = GOOD.replace("{ \"name\": \"Index\", \"type\": \"int32\", \"versions\": \"0+\", \"about\": \"An index.\" },", "");
        assertTrue(refusal(empty).contains("Part has no bytes in version 0"));
    }
}
