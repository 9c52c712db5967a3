package io.fjord.protocol.specs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.RawTaggedField;
import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The generated code for every kind of field the generator supports, through a test-only spec
 * (src/test/messages/GeneratorSample.json): defaults, versions that carry a field or not, nulls
 * where a version allows them and refused where it does not, tagged fields written only when they
 * differ from their defaults, unknown tagged fields kept in tag order, hostile lengths.
 */
class GeneratedMessageTest {

    private static GeneratorSample full() {
        GeneratorSample sample = new GeneratorSample()
                .setTiny((byte) 3).setSmall((short) -7).setCount(1_000_000).setBig(Long.MIN_VALUE).setPort(60_000)
                .setRatio(2.25).setFlag(false).setId(new UUID(1, 2)).setLabel("label-\u00e6")
                .setPayload(ByteBuffer.wrap(new byte[] {9, 8, 7}))
                .setBatches(MemoryRecordSet.readOnly(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})))
                .setNumbers(List.of(1, -1, Integer.MAX_VALUE)).setNames(List.of("a", "", "c"))
                .setOnlyInOneAndTwo(11)
                .setCursor(new GeneratorSample.Position().setTopic("t").setPartition(4))
                .setEpoch(99L).setComment("why");
        sample.entries().add(new GeneratorSample.Entry().setKey("k").setOffset(5).setNote("tagged"));
        sample.extras().add(new GeneratorSample.Extra().setName("x"));
        return sample;
    }

    private static ByteBuffer write(GeneratorSample sample, short version) {
        WireWriter out = new WireWriter();
        sample.write(out, version);
        return out.finish().toByteBuffer();
    }

    private static GeneratorSample read(ByteBuffer bytes, short version) {
        WireReader in = new WireReader(bytes.duplicate());
        GeneratorSample sample = new GeneratorSample(in, version);
        assertEquals(0, in.remaining(), "the message filled the bytes");
        return sample;
    }

    @Test
    void aNewMessageHoldsItsDefaults() {
        GeneratorSample d = new GeneratorSample();
        assertEquals(-1, d.tiny());
        assertEquals(42, d.count());
        assertEquals(-2L, d.big());
        assertEquals(65535, d.port());
        assertEquals(0.5, d.ratio());
        assertTrue(d.flag());
        assertEquals(new UUID(0, 0), d.id());
        assertEquals("none", d.label());
        assertEquals(0, d.payload().remaining());
        assertEquals(0, d.batches().sizeInBytes(), "records default to empty, never null");
        assertEquals(List.of(), d.numbers());
        assertEquals(7, d.onlyInOneAndTwo());
        assertNull(d.cursor());
        assertEquals(-1L, d.epoch());
        assertNull(d.comment());
    }

    @Test
    void everyVersionRoundTripsAndFieldsOutsideAVersionFallBackToTheirDefaults() {
        for (short v = GeneratorSample.LOWEST_VERSION; v <= GeneratorSample.HIGHEST_VERSION; v++) {
            GeneratorSample back = read(write(full(), v), v);
            assertEquals(1_000_000, back.count());
            assertEquals(List.of("a", "", "c"), back.names());
            assertEquals(v >= 1 && v <= 2 ? 11 : 7, back.onlyInOneAndTwo(), "v" + v);
            assertEquals(v >= 2 ? "t" : null, back.cursor() == null ? null : back.cursor().topic(), "v" + v);
            assertEquals(v >= 2 ? 99L : -1L, back.epoch(), "v" + v);
            assertEquals(v >= 2 ? "why" : null, back.comment(), "v" + v);
            assertEquals(v >= 2 ? "tagged" : "", back.entries().get(0).note(), "v" + v);
            assertEquals(v >= 3 ? 1 : 0, back.extras().size(), "v" + v);
            assertEquals(back, read(write(back, v), v), "a read message writes the same content again");
        }
        assertEquals(full(), read(write(full(), (short) 2), (short) 2).setExtras(full().extras()),
                "v2 carries everything but the v3 tag");
    }

    @Test
    void nullsAreWrittenWhereTheVersionAllowsThemAndRefusedElsewhere() {
        GeneratorSample nulls = full().setLabel(null).setNames(null).setPayload(null).setCursor(null).setComment(null);
        assertThrows(IllegalArgumentException.class, () -> write(nulls, (short) 0), "label is not nullable in v0");
        for (short v = 1; v <= 3; v++) {
            GeneratorSample back = read(write(nulls, v), v);
            assertNull(back.label());
            assertNull(back.names());
            assertNull(back.payload());
            assertNull(back.cursor());
        }
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> write(full().setNames(withNull), (short) 3));
        assertThrows(IllegalArgumentException.class, () -> write(full().setNumbers(null), (short) 3));
        // A null marker where the version has none is malformed input, not a null.
        ByteBuffer v0 = write(full().setLabel("ab"), (short) 0);
        int labelAt = 1 + 2 + 4 + 8 + 2 + 8 + 1 + 16;
        v0.putShort(labelAt, (short) -1);
        assertEquals(Errors.INVALID_REQUEST, assertThrows(ProtocolException.class, () -> read(v0, (short) 0)).error());
    }

    @Test
    void taggedFieldsAreWrittenOnlyWhenTheyDifferFromTheirDefaults() {
        GeneratorSample plain = full().setEpoch(-1L).setComment(null).setExtras(new ArrayList<>());
        plain.entries().get(0).setNote("");
        GeneratorSample tagged = full();
        int difference = write(tagged, (short) 3).remaining() - write(plain, (short) 3).remaining();
        // epoch: tag, size, 8 bytes; comment: tag, size, 1 + 3; extras: tag, size, 1 + (1 + 1 + 1);
        // note: tag, size, 1 + 6.
        assertEquals(10 + 6 + 6 + 9, difference);
    }

    @Test
    void unknownTaggedFieldsArePassedOnInTagOrder() {
        GeneratorSample sample = full().setOnlyInOneAndTwo(7); // v3 has no such field
        sample.unknownTaggedFields().add(new RawTaggedField(2, ByteBuffer.wrap(new byte[] {42})));
        sample.unknownTaggedFields().add(new RawTaggedField(9, ByteBuffer.wrap(new byte[] {1, 2})));
        ByteBuffer bytes = write(sample, (short) 3);
        GeneratorSample back = read(bytes, (short) 3);
        assertEquals(List.of(2, 9), back.unknownTaggedFields().stream().map(RawTaggedField::tag).toList());
        assertEquals(sample, back);
        assertEquals(bytes, write(back, (short) 3), "known and unknown tags interleave by tag: 1, 2, 3, 5, 9");
        // A tag the version does not know stays unknown: v2 has no tag 3.
        GeneratorSample v2 = full().setExtras(new ArrayList<>());
        v2.unknownTaggedFields().add(new RawTaggedField(3, ByteBuffer.wrap(new byte[] {2, 2, 'x', 0})));
        GeneratorSample back2 = read(write(v2, (short) 2), (short) 2);
        assertEquals(List.of(3), back2.unknownTaggedFields().stream().map(RawTaggedField::tag).toList());
        assertEquals(List.of(), back2.extras());
        assertNotEquals(full(), back2);
    }

    @Test
    void hostileCountsAndLengthsAreRefusedBeforeAnythingIsAllocated() {
        ByteBuffer bytes = write(full(), (short) 0);
        int numbersAt = 1 + 2 + 4 + 8 + 2 + 8 + 1 + 16 + 2 + "label-\u00e6".getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + 4 + 3 + 4 + 4;
        assertEquals(3, bytes.getInt(numbersAt), "where the array length is");
        bytes.putInt(numbersAt, Integer.MAX_VALUE);
        assertEquals(Errors.INVALID_REQUEST, assertThrows(ProtocolException.class, () -> read(bytes, (short) 0)).error());
        ByteBuffer flexible = write(full(), (short) 3);
        ByteBuffer truncated = flexible.slice(0, flexible.remaining() - 1);
        assertThrows(ProtocolException.class, () -> read(truncated, (short) 3));
    }
}
