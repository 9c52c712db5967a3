package io.fjord.protocol.record;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed batches end in the Kafka error a broker would answer with, and allocate no more than they hold. */
class HostileBatchTest {

    private static final int LIMIT = 1 << 20;

    static List<CompressionCodec> codecs() {
        return Codecs.everyCodec();
    }

    static List<CompressionCodec> compressingCodecs() {
        return List.of(Codecs.GZIP, Codecs.LZ4, Codecs.ZSTD);
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void everyTruncationIsRejected(CompressionCodec codec) {
        ByteBuffer batch = KafkaBatches.build(codec, 0L, 10, 31L);
        int size = batch.remaining();
        for (int cut = 0; cut < size; cut++) {
            ByteBuffer truncated = KafkaBatches.copy(batch.duplicate().limit(cut));
            ProtocolException e = assertThrows(ProtocolException.class, () -> RecordBatchView.wrap(truncated));
            assertEquals(Errors.CORRUPT_MESSAGE, e.error(), "cut at " + cut);

            RecordBatchIterator walk = new RecordBatchIterator(truncated);
            assertFalse(walk.hasNext());
            assertEquals(cut, walk.truncatedBytes());

            if (cut >= RecordBatchView.HEADER_SIZE) {
                // The same bytes with length and CRC made to agree: the records themselves must give way.
                Errors error = Hostile.errorOf(Hostile.reseal(truncated), Codecs.ALL, LIMIT);
                assertNotNull(error, "cut at " + cut);
                assertTrue(Set.of(Errors.INVALID_RECORD, Errors.CORRUPT_MESSAGE).contains(error), error + " at " + cut);
            }
        }
        assertNull(Hostile.errorOf(batch, Codecs.ALL, LIMIT));
    }

    /** One record section, each a single record unless it says otherwise, and the error it must end in. */
    static Map<String, byte[]> malformedRecords() {
        return Map.ofEntries(
                Map.entry("negative record length", record(v(-1))),
                Map.entry("record length past the batch", record(v(Integer.MAX_VALUE), 0, v(0), v(0), v(-1), v(-1), v(0))),
                Map.entry("record length too small for its fields", record(v(3), 0, v(0), v(0))),
                Map.entry("key length below -1", body(0, v(0), v(0), v(-2), v(-1), v(0))),
                Map.entry("key length past the record", body(0, v(0), v(0), v(Integer.MAX_VALUE), v(-1), v(0))),
                Map.entry("value length past the record", body(0, v(0), v(0), v(-1), v(1000), v(0))),
                Map.entry("negative header count", body(0, v(0), v(0), v(-1), v(-1), v(-1))),
                Map.entry("huge header count", body(0, v(0), v(0), v(-1), v(-1), v(Integer.MAX_VALUE), v(1), 'k', v(-1))),
                Map.entry("null header key", body(0, v(0), v(0), v(-1), v(-1), v(1), v(-1), v(-1))),
                Map.entry("header value past the record", body(0, v(0), v(0), v(-1), v(-1), v(1), v(1), 'k', v(50))),
                Map.entry("fields shorter than the record", record(v(8), 0, v(0), v(0), v(-1), v(-1), v(0), 0, 0)),
                Map.entry("over-long varint", record(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                        (byte) 0x80, 0x00})),
                Map.entry("over-long varlong", body(0, new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                        (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00},
                        v(0), v(-1), v(-1), v(0))),
                Map.entry("varint cut by the end", record(new byte[] {(byte) 0x80})),
                Map.entry("bytes after the last record", concat(body(0, v(0), v(0), v(-1), v(-1), v(0)), new byte[] {0})),
                Map.entry("fewer records than declared", new byte[0]));
    }

    @Test
    void malformedRecordsAreInvalidRecords() {
        for (Map.Entry<String, byte[]> c : malformedRecords().entrySet()) {
            for (CompressionCodec codec : codecs()) {
                ByteBuffer batch = batchWithRecords(c.getValue(), 1, codec);
                String name = c.getKey() + " (" + (codec == null ? "none" : codec.name()) + ")";
                Hostile.errorOf(batch, Codecs.ALL, LIMIT); // loads and links the classes on this path
                long before = Hostile.allocatedBytes();
                ProtocolException e = assertThrows(ProtocolException.class,
                        () -> Hostile.readAll(batch, Codecs.ALL, LIMIT), name);
                long allocated = Hostile.allocatedBytes() - before;
                assertEquals(Errors.INVALID_RECORD, e.error(), name + ": " + e.getMessage());
                // An exception with its stack trace, and for compressed batches the codec's working
                // buffers; nothing sized by the lengths the record claims (up to 2 GiB here).
                assertTrue(allocated < (1 << 20), name + " allocated " + allocated);
            }
        }
        // The well-formed control case: the same builder of sections reads cleanly.
        ByteBuffer good = batchWithRecords(body(0, v(0), v(0), v(-1), v(1), 'x', v(1), v(1), 'k', v(-1)), 1, null);
        assertEquals(1, Hostile.readAll(good, Codecs.ALL, LIMIT));
    }

    @ParameterizedTest
    @MethodSource("codecs")
    void recordCountThatLiesIsInvalid(CompressionCodec codec) {
        ByteBuffer batch = KafkaBatches.build(codec, 0L, 10, 32L);
        for (int count : new int[] {9, 11, 0}) {
            ByteBuffer forged = KafkaBatches.copy(batch);
            forged.putInt(RecordBatchView.RECORD_COUNT_OFFSET, count);
            Hostile.reseal(forged);
            assertEquals(Errors.INVALID_RECORD, Hostile.errorOf(forged, Codecs.ALL, LIMIT), "count " + count);
        }
        // A compressed batch cannot be checked against its count without inflating it: a count
        // of Integer.MAX_VALUE passes the header checks only once the offsets allow it.
        ByteBuffer forged = KafkaBatches.copy(batch);
        forged.putInt(RecordBatchView.RECORD_COUNT_OFFSET, Integer.MAX_VALUE);
        forged.putInt(RecordBatchView.LAST_OFFSET_DELTA_OFFSET, Integer.MAX_VALUE - 1);
        Hostile.reseal(forged);
        long before = Hostile.allocatedBytes();
        assertEquals(Errors.INVALID_RECORD, Hostile.errorOf(forged, Codecs.ALL, LIMIT));
        assertTrue(Hostile.allocatedBytes() - before < 256 * 1024 + 4L * LIMIT);
    }

    @ParameterizedTest
    @MethodSource("compressingCodecs")
    void decompressionBombStopsAtTheCallersLimit(CompressionCodec codec) throws IOException {
        ByteBuffer bomb = zeroValueBatch(codec, 32 << 20);
        assertTrue(bomb.remaining() < 1 << 20, "the bomb is small: " + bomb.remaining());
        RecordBatchView view = RecordBatchView.wrap(bomb);
        view.ensureValid();

        long before = Hostile.allocatedBytes();
        ProtocolException e = assertThrows(ProtocolException.class, () -> view.records(Codecs.ALL, LIMIT));
        long allocated = Hostile.allocatedBytes() - before;
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
        assertTrue(allocated < 8L * LIMIT, "allocated " + allocated + " for a limit of " + LIMIT);

        // Below the limit, the same shape reads.
        RecordCursor cursor = RecordBatchView.wrap(zeroValueBatch(codec, LIMIT / 2)).records(Codecs.ALL, LIMIT);
        assertTrue(cursor.next());
        assertEquals(LIMIT / 2, cursor.valueSize());
        assertFalse(cursor.next());
    }

    @ParameterizedTest
    @MethodSource("compressingCodecs")
    void theLimitIsExact(CompressionCodec codec) throws IOException {
        RecordBatchView view = RecordBatchView.wrap(zeroValueBatch(codec, 100_000));
        int inflated = codec.decompress(view.recordsSection(), LIMIT).remaining();
        RecordCursor cursor = view.records(Codecs.ALL, inflated);
        assertTrue(cursor.next());
        assertFalse(cursor.next());
        ProtocolException e = assertThrows(ProtocolException.class, () -> view.records(Codecs.ALL, inflated - 1));
        assertEquals(Errors.CORRUPT_MESSAGE, e.error());
        assertEquals(Errors.CORRUPT_MESSAGE,
                assertThrows(ProtocolException.class, () -> view.records(Codecs.ALL, 0)).error());
    }

    /**
     * A one-record batch whose value is {@code size} zero bytes, compressed as it is streamed so
     * that the test never holds the inflated record (the test heap is small on purpose).
     */
    static ByteBuffer zeroValueBatch(CompressionCodec codec, int size) throws IOException {
        byte[] head = concat(0, v(0), v(0), v(-1), v(size));
        byte[] tail = v(0);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = codec.compressor(compressed)) {
            out.write(v(head.length + size + tail.length));
            out.write(head);
            byte[] zeros = new byte[64 * 1024];
            for (int written = 0; written < size; written += zeros.length) {
                out.write(zeros, 0, Math.min(zeros.length, size - written));
            }
            out.write(tail);
        }
        ByteBuffer template = KafkaBatches.build(codec, 0L, 1, 37L);
        ByteBuffer batch = ByteBuffer.allocate(RecordBatchView.HEADER_SIZE + compressed.size());
        batch.put(template.duplicate().limit(RecordBatchView.HEADER_SIZE)).put(compressed.toByteArray()).flip();
        return Hostile.reseal(batch);
    }

    @Test
    void codecsNotInTheRegistryAreUnsupported() {
        ByteBuffer gzip = KafkaBatches.build(Codecs.GZIP, 0L, 3, 33L);
        ProtocolException e = assertThrows(ProtocolException.class, () -> RecordBatchView.wrap(gzip).records());
        assertEquals(Errors.UNSUPPORTED_COMPRESSION_TYPE, e.error());
        for (int id : new int[] {2, 5, 7}) {
            ByteBuffer forged = KafkaBatches.copy(gzip);
            forged.putShort(RecordBatchView.ATTRIBUTES_OFFSET, (short) id);
            Hostile.reseal(forged);
            assertEquals(Errors.UNSUPPORTED_COMPRESSION_TYPE, Hostile.errorOf(forged, Codecs.ALL, LIMIT), "id " + id);
        }
    }

    @ParameterizedTest
    @MethodSource("compressingCodecs")
    void garbageInACompressedSectionIsCorrupt(CompressionCodec codec) {
        ByteBuffer batch = KafkaBatches.build(codec, 0L, 10, 34L);
        for (int i = RecordBatchView.RECORDS_OFFSET; i < Math.min(batch.remaining(), RecordBatchView.RECORDS_OFFSET + 16); i++) {
            ByteBuffer forged = KafkaBatches.copy(batch);
            forged.put(i, (byte) ~forged.get(i));
            Hostile.reseal(forged);
            Errors error = Hostile.errorOf(forged, Codecs.ALL, LIMIT);
            // A flipped byte may still inflate to parseable records; if not, only these two errors are allowed.
            assertTrue(error == null || error == Errors.CORRUPT_MESSAGE || error == Errors.INVALID_RECORD,
                    error + " at byte " + i);
        }
        ByteBuffer forged = KafkaBatches.copy(batch);
        forged.put(RecordBatchView.RECORDS_OFFSET, (byte) ~forged.get(RecordBatchView.RECORDS_OFFSET));
        Hostile.reseal(forged);
        assertEquals(Errors.CORRUPT_MESSAGE, Hostile.errorOf(forged, Codecs.ALL, LIMIT), "a broken frame magic");
    }

    @Test
    void walkerRejectsImpossibleLengthsAndWaitsOnHugeOnes() {
        ByteBuffer batch = KafkaBatches.build(null, 0L, 3, 35L);
        for (int length : new int[] {-1, Integer.MIN_VALUE, 0, 13}) {
            ByteBuffer forged = KafkaBatches.copy(batch);
            forged.putInt(RecordBatchView.BATCH_LENGTH_OFFSET, length);
            ProtocolException e = assertThrows(ProtocolException.class, () -> new RecordBatchIterator(forged).hasNext());
            assertEquals(Errors.CORRUPT_MESSAGE, e.error());
        }
        ByteBuffer forged = KafkaBatches.copy(batch);
        forged.putInt(RecordBatchView.BATCH_LENGTH_OFFSET, Integer.MAX_VALUE);
        RecordBatchIterator walk = new RecordBatchIterator(forged);
        assertFalse(walk.hasNext());
        assertEquals(batch.remaining(), walk.truncatedBytes());

        forged.putInt(RecordBatchView.BATCH_LENGTH_OFFSET, 20);
        ProtocolException e = assertThrows(ProtocolException.class, () -> new RecordBatchIterator(forged).next());
        assertEquals(Errors.CORRUPT_MESSAGE, e.error(), "a magic 2 entry shorter than the batch header");
    }

    // ---- forging record sections by hand, independent of the builder under test

    /** A batch with this records section (compressed with {@code codec}) and record count, sealed. */
    static ByteBuffer batchWithRecords(byte[] section, int count, CompressionCodec codec) {
        ByteBuffer template = KafkaBatches.build(codec, 0L, 1, 36L);
        byte[] stored = section;
        if (codec != null) {
            try {
                ByteBuffer compressed = codec.compress(ByteBuffer.wrap(section));
                stored = new byte[compressed.remaining()];
                compressed.get(stored);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        ByteBuffer batch = ByteBuffer.allocate(RecordBatchView.HEADER_SIZE + stored.length);
        batch.put(template.duplicate().limit(RecordBatchView.HEADER_SIZE)).put(stored).flip();
        batch.putInt(RecordBatchView.RECORD_COUNT_OFFSET, count);
        batch.putInt(RecordBatchView.LAST_OFFSET_DELTA_OFFSET, count - 1);
        return Hostile.reseal(batch);
    }

    /** A record: its body with the right length varint in front. Parts are byte arrays or single bytes. */
    static byte[] body(Object... parts) {
        byte[] body = concat(parts);
        return concat(v(body.length), body);
    }

    /** Raw bytes, the length varint included by the caller. */
    static byte[] record(Object... parts) {
        return concat(parts);
    }

    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof byte[] b) {
                out.writeBytes(b);
            } else if (part instanceof Character c) {
                out.write(c);
            } else {
                out.write((Integer) part);
            }
        }
        return out.toByteArray();
    }

    /** A zigzag varint. */
    static byte[] v(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long zigzag = ((long) value << 1 ^ (value >> 31)) & 0xFFFF_FFFFL;
        do {
            int b = (int) (zigzag & 0x7F);
            zigzag >>>= 7;
            out.write(zigzag == 0 ? b : b | 0x80);
        } while (zigzag != 0);
        return out.toByteArray();
    }
}
