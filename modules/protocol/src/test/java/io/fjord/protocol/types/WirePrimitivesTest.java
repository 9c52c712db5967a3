package io.fjord.protocol.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Primitive types against Kafka's {@code ByteBufferAccessor}, and their hostile forms. */
class WirePrimitivesTest {

    private static ByteBuffer bytes(WireWriter w) {
        return w.finish().toByteBuffer();
    }

    private static ByteBuffer hex(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.flip();
    }

    private static void assertMalformed(Executable e) {
        ProtocolException ex = assertThrows(ProtocolException.class, e);
        assertEquals(Errors.INVALID_REQUEST, ex.error());
    }

    @Test
    void varintsMatchKafkaBothWays() {
        Random random = new Random(42);
        int[] edges = {0, 1, 127, 128, 16383, 16384, Integer.MAX_VALUE, Integer.MIN_VALUE, -1};
        for (int i = 0; i < 20_000; i++) {
            int vi = i < edges.length ? edges[i] : random.nextInt() >> random.nextInt(32);
            long vl = i < edges.length ? edges[i] : random.nextLong() >> random.nextInt(64);

            ByteBuffer kafka = ByteBuffer.allocate(64);
            ByteBufferAccessor acc = new ByteBufferAccessor(kafka);
            acc.writeUnsignedVarint(vi);
            acc.writeVarint(vi);
            acc.writeVarlong(vl);
            kafka.flip();

            WireWriter w = new WireWriter(16);
            w.writeUnsignedVarint(vi).writeVarint(vi).writeVarlong(vl);
            ByteBuffer fjord = bytes(w);
            assertEquals(kafka, fjord, "value " + vi + "/" + vl);
            assertEquals(fjord.remaining(), Varints.sizeOfUnsignedVarint(vi) + Varints.sizeOfVarint(vi)
                    + Varints.sizeOfVarlong(vl));

            WireReader r = new WireReader(kafka.duplicate());
            assertEquals(vi, r.readUnsignedVarint());
            assertEquals(vi, r.readVarint());
            assertEquals(vl, r.readVarlong());
            assertEquals(0, r.remaining());
        }
        long big = 0xfedcba9876543210L;
        WireReader r = new WireReader(bytes(new WireWriter().writeUnsignedVarlong(big)));
        assertEquals(big, r.readUnsignedVarlong());
        assertEquals(10, Varints.sizeOfUnsignedVarlong(big));
    }

    @Test
    void overLongAndTruncatedVarintsAreRejected() {
        assertMalformed(() -> new WireReader(hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x01)).readUnsignedVarint());
        assertMalformed(() -> new WireReader(hex(0xff, 0xff)).readUnsignedVarint());
        assertMalformed(() -> new WireReader(hex(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01))
                .readUnsignedVarlong());
        assertMalformed(() -> new WireReader(hex()).readVarint());
    }

    @Test
    void fixedWidthTypesMatchKafka() {
        UUID id = new UUID(0x0123456789abcdefL, 0xfedcba9876543210L);
        ByteBuffer kafka = ByteBuffer.allocate(64);
        ByteBufferAccessor acc = new ByteBufferAccessor(kafka);
        acc.writeByte((byte) -3);
        acc.writeShort((short) -2);
        acc.writeInt(0x12345678);
        acc.writeLong(-5L);
        acc.writeDouble(2.5);
        acc.writeUuid(new org.apache.kafka.common.Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        kafka.flip();
        WireWriter w = new WireWriter(8);
        w.writeByte((byte) -3).writeShort((short) -2).writeInt(0x12345678).writeLong(-5L).writeDouble(2.5)
                .writeUuid(id);
        assertEquals(kafka, bytes(w));
        WireReader r = new WireReader(kafka);
        assertEquals(-3, r.readByte());
        assertEquals(-2, r.readShort());
        assertEquals(0x12345678, r.readInt());
        assertEquals(-5L, r.readLong());
        assertEquals(2.5, r.readDouble());
        assertEquals(id, r.readUuid());
        assertMalformed(r::readByte);
    }

    @Test
    void stringsAndBytesInBothEncodings() {
        ByteBuffer kafka = ByteBuffer.allocate(128);
        ByteBufferAccessor acc = new ByteBufferAccessor(kafka);
        byte[] utf8 = "bl\u00e5b\u00e6r".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        acc.writeShort((short) utf8.length);
        acc.writeByteArray(utf8);
        acc.writeShort((short) -1);
        acc.writeUnsignedVarint(utf8.length + 1);
        acc.writeByteArray(utf8);
        acc.writeUnsignedVarint(0);
        acc.writeInt(3);
        acc.writeByteArray(new byte[] {7, 8, 9});
        acc.writeUnsignedVarint(1);
        kafka.flip();

        WireWriter w = new WireWriter(4);
        w.writeString("bl\u00e5b\u00e6r", false).writeString(null, false).writeString("bl\u00e5b\u00e6r", true)
                .writeString(null, true).writeBytes(ByteBuffer.wrap(new byte[] {7, 8, 9}), false)
                .writeBytes(ByteBuffer.allocate(0), true);
        assertEquals(kafka, bytes(w));

        WireReader r = new WireReader(kafka.duplicate());
        assertEquals("bl\u00e5b\u00e6r", r.readString(false, false));
        assertNull(r.readString(false, true));
        assertEquals("bl\u00e5b\u00e6r", r.readString(true, false));
        assertNull(r.readString(true, true));
        ByteBuffer slice = r.readBytes(false, false);
        assertArrayEquals(new byte[] {7, 8, 9}, new byte[] {slice.get(0), slice.get(1), slice.get(2)});
        assertEquals(0, r.readBytes(true, false).remaining());
        assertEquals(0, r.remaining());

        // Null where the schema forbids it.
        assertMalformed(() -> new WireReader(hex(0xff, 0xff)).readString(false, false));
        assertMalformed(() -> new WireReader(hex(0x00)).readString(true, false));
    }

    @Test
    void hostileLengthsNeverAllocateMoreThanIsPresent() {
        // A string claiming 32767 bytes in a 10-byte buffer.
        ByteBuffer s = ByteBuffer.allocate(10).putShort(Short.MAX_VALUE).flip().limit(10);
        assertMalformed(() -> new WireReader(s).readString(false, false));
        // Negative lengths other than -1: null where null is allowed, as Kafka reads them, else malformed.
        assertEquals(null, new WireReader(hex(0xff, 0xfe)).readString(false, true));
        assertEquals(null, new WireReader(ByteBuffer.allocate(8).putInt(0, -2)).readBytes(false, true));
        assertEquals(-1, new WireReader(ByteBuffer.allocate(8).putInt(0, -7)).readArrayLength(false, true, 1));
        assertMalformed(() -> new WireReader(hex(0xff, 0xfe)).readString(false, false));
        assertMalformed(() -> new WireReader(ByteBuffer.allocate(8).putInt(0, -2)).readBytes(false, false));
        assertMalformed(() -> new WireReader(ByteBuffer.allocate(8).putInt(0, -7)).readArrayLength(false, false, 1));
        // Bytes and array counts claiming 2^31-1 in a 20-byte body.
        ByteBuffer a = ByteBuffer.allocate(20).putInt(0, Integer.MAX_VALUE);
        assertMalformed(() -> new WireReader(a.duplicate()).readBytes(false, false));
        assertMalformed(() -> new WireReader(a.duplicate()).readArrayLength(false, false, 1));
        // Six elements of at least four bytes cannot fit in 20 bytes after the count.
        ByteBuffer six = ByteBuffer.allocate(20).putInt(0, 6);
        assertMalformed(() -> new WireReader(six).readArrayLength(false, false, 4));
        ByteBuffer four = ByteBuffer.allocate(20).putInt(0, 4);
        assertEquals(4, new WireReader(four).readArrayLength(false, false, 4));
        // Compact lengths: an over-long varint is malformed; a value above Integer.MAX_VALUE is a
        // negative length, which Kafka's generated readers take for null where null is allowed.
        assertMalformed(() -> new WireReader(hex(0xff, 0xff, 0xff, 0xff, 0xff, 0x0f)).readString(true, true));
        assertEquals(null, new WireReader(hex(0xff, 0xff, 0xff, 0xff, 0x0f)).readBytes(true, true));
        assertEquals(-1, new WireReader(hex(0xff, 0xff, 0xff, 0xff, 0x0f)).readArrayLength(true, true, 1));
        assertEquals(-1, new WireReader(hex(0x85, 0x80, 0x80, 0x80, 0x08)).readArrayLength(true, true, 1));
        assertMalformed(() -> new WireReader(hex(0xff, 0xff, 0xff, 0xff, 0x0f)).readBytes(true, false));
        assertMalformed(() -> new WireReader(hex(0x85, 0x80, 0x80, 0x80, 0x08)).readArrayLength(true, false, 1));
        // 2^31 as a compact count is Integer.MAX_VALUE elements, which cannot fit.
        assertMalformed(() -> new WireReader(hex(0x80, 0x80, 0x80, 0x80, 0x08)).readArrayLength(true, true, 1));
        // Tagged fields claiming more fields, or bigger ones, than the bytes present.
        assertMalformed(() -> new WireReader(hex(0x7f, 0x00, 0x00)).skipTaggedFields());
        assertMalformed(() -> new WireReader(hex(0x01, 0x00, 0x7f, 0x00)).skipTaggedFields());
    }

    @Test
    void taggedFieldsAreSkipped() {
        WireReader r = new WireReader(hex(0x02, 0x00, 0x01, 0xaa, 0x05, 0x02, 0xbb, 0xcc, 0x42));
        r.skipTaggedFields();
        assertEquals(0x42, r.readByte());
    }

    @Test
    void framesAreTakenWhenCompleteAndBoundedInSize() {
        ByteBuffer in = ByteBuffer.allocate(32).putInt(3).put(new byte[] {1, 2, 3}).putInt(5).put((byte) 9).flip();
        ByteBuffer first = Frames.readFrame(in, 100);
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), first);
        int position = in.position();
        assertNull(Frames.readFrame(in, 100), "second frame is incomplete");
        assertEquals(position, in.position());
        ProtocolException tooBig = assertThrows(ProtocolException.class,
                () -> Frames.readFrame(ByteBuffer.allocate(4).putInt(0, 101), 100));
        assertEquals(Errors.INVALID_REQUEST, tooBig.error());
        assertMalformed(() -> Frames.readFrame(ByteBuffer.allocate(4).putInt(0, -1), 100));
        assertMalformed(() -> Frames.readWholeFrame(ByteBuffer.allocate(6).putInt(0, 5), 100));
        assertMalformed(() -> Frames.readWholeFrame(ByteBuffer.allocate(9).putInt(0, 4), 100));
    }

    @Test
    void writerKeepsRecordSetsApartAndSurvivesGrowth() {
        WireWriter w = new WireWriter(16);
        ByteBuffer records = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        w.writeInt(1).writeRecords(MemoryRecordSet.readOnly(records), false);
        for (int i = 0; i < 100; i++) {
            w.writeLong(i); // forces the buffer to grow after a part was cut
        }
        w.writeRecords(null, true).writeRecords(MemoryRecordSet.readOnly(ByteBuffer.allocate(0)), false);
        EncodedMessage m = w.finish();
        assertEquals(4 + 4 + 4 + 800 + 1 + 4, m.sizeInBytes());
        assertEquals(3, m.partCount());
        ByteBuffer all = m.toByteBuffer();
        assertEquals(1, all.getInt());
        assertEquals(4, all.getInt());
        assertEquals(0x01020304, all.getInt());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, all.getLong());
        }
        assertEquals(0, all.get());
        assertEquals(0, all.getInt());
        ByteBuffer framed = m.withSizePrefix().toByteBuffer();
        assertEquals(m.sizeInBytes(), framed.getInt());
    }
}
