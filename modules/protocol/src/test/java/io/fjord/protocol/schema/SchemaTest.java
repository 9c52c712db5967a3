package io.fjord.protocol.schema;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Field.taggedField;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.UINT16;
import static io.fjord.protocol.schema.Type.arrayOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {
    private static final Schema SCHEMA = Schema.of(
            field("name", STRING).nullable(2),
            field("count", INT32).versions(1).defaultValue(-1),
            field("old", INT64).versions(0, 1),
            field("ids", arrayOf(INT32)),
            field("items", arrayOf(Schema.of(
                    field("key", STRING),
                    field("port", UINT16)))).versions(2),
            taggedField(4, "note", STRING).versions(3).defaultValue("none"));

    private static ByteBuffer write(Struct s, int version, boolean flexible) {
        WireWriter w = new WireWriter();
        StructCodec.write(s, (short) version, flexible, w);
        return w.finish().toByteBuffer();
    }

    private static Struct read(ByteBuffer b, int version, boolean flexible) {
        WireReader r = new WireReader(b.duplicate());
        Struct s = StructCodec.read(SCHEMA, (short) version, flexible, r);
        assertEquals(0, r.remaining());
        return s;
    }

    @Test
    void versionsDecideWhichFieldsAreWritten() {
        Struct s = SCHEMA.newStruct().set("name", "a").set("count", 7).set("old", 9L)
                .set("ids", new int[] {1, 2});
        s.addElement("items").set("key", "k").set("port", 65535);
        ByteBuffer v0 = write(s, 0, false);
        assertEquals(2 + 1 + 8 + 4 + 8, v0.remaining());
        ByteBuffer v2 = write(s, 2, false);
        assertEquals(2 + 1 + 4 + 4 + 8 + 4 + 2 + 1 + 2, v2.remaining());
        Struct back = read(v2, 2, false);
        assertEquals(7, back.getInt("count"));
        assertEquals(0L, back.getLong("old"), "absent in v2: default");
        assertArrayEquals(new int[] {1, 2}, back.getIntArray("ids"));
        assertEquals(65535, back.getStructArray("items").get(0).getInt("port"));
        Struct old = read(v0, 0, false);
        assertEquals(-1, old.getInt("count"), "absent in v0: declared default");
    }

    @Test
    void nullabilityIsPerVersion() {
        Struct s = SCHEMA.newStruct().set("name", null);
        assertThrows(IllegalArgumentException.class, () -> write(s, 1, false));
        assertNull(read(write(s, 2, false), 2, false).getString("name"));
    }

    @Test
    void taggedFieldsAreWrittenOnlyWhenNotDefault() {
        Struct s = SCHEMA.newStruct();
        ByteBuffer plain = write(s, 3, true);
        assertEquals(0, plain.get(plain.limit() - 1), "empty tag section");
        s.set("note", "hello");
        ByteBuffer tagged = write(s, 3, true);
        // The count stays one byte; then tag, size and the compact string (length byte + 5).
        assertEquals(plain.remaining() + 1 + 1 + 6, tagged.remaining());
        assertEquals("hello", read(tagged, 3, true).getString("note"));
        assertEquals("none", read(plain, 3, true).getString("note"));
    }

    @Test
    void valuesAreCheckedAndNumbersConverted() {
        Struct s = SCHEMA.newStruct();
        s.set("count", (short) 3);
        assertEquals(3, s.getInt("count"));
        Struct item = s.addElement("items");
        assertThrows(IllegalArgumentException.class, () -> item.set("port", 65536));
        assertThrows(IllegalArgumentException.class, () -> item.set("port", -1));
        assertThrows(IllegalArgumentException.class, () -> s.set("count", 1L << 40));
        assertThrows(IllegalArgumentException.class, () -> s.set("count", 1.5));
        assertThrows(IllegalArgumentException.class, () -> s.set("name", 5));
        assertThrows(IllegalArgumentException.class, () -> s.set("ids", List.of(1)));
        assertThrows(IllegalArgumentException.class, () -> s.set("missing", 1));
        assertThrows(IllegalArgumentException.class, () -> s.addElement("ids"));
        assertThrows(IllegalArgumentException.class,
                () -> Schema.of(field("a", INT16), field("a", INT32)));
        assertThrows(IllegalArgumentException.class, () -> field("n", INT32).nullable());
    }

    @Test
    void structsCompareByValue() {
        Struct a = SCHEMA.newStruct().set("ids", new int[] {4});
        Struct b = SCHEMA.newStruct().set("ids", new int[] {4});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        b.set("ids", new int[] {5});
        assertFalse(a.equals(b));
        assertTrue(a.toString().contains("ids=[4]"));
    }
}
