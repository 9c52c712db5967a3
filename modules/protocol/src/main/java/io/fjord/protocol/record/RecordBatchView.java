package io.fjord.protocol.record;

import io.fjord.api.TimestampType;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.api.compression.CorruptDataException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A zero-copy view over the bytes of one record batch of magic 2, Kafka's log and wire format
 * since 0.11.
 *
 * <pre>
 * offset size field
 *  0      8   baseOffset             not covered by the CRC
 *  8      4   batchLength            bytes after this field = sizeInBytes - 12
 * 12      4   partitionLeaderEpoch   not covered by the CRC
 * 16      1   magic                  2
 * 17      4   crc                    CRC-32C of bytes 21 .. end
 * 21      2   attributes             bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control,
 *                                    6 delete horizon
 * 23      4   lastOffsetDelta
 * 27      8   baseTimestamp
 * 35      8   maxTimestamp
 * 43      8   producerId
 * 51      2   producerEpoch
 * 53      4   baseSequence
 * 57      4   recordCount            never compressed
 * 61      ..  records                one block, compressed as a whole when the codec is not none
 * </pre>
 *
 * <p>Invariant once {@link #wrap} returned: the view covers exactly {@code batchLength + 12 >= 61}
 * bytes and the magic byte is 2. Nothing else is trusted until {@link #ensureValid()} passed:
 * the CRC, the record count and the records themselves may still be hostile.
 *
 * <p>Buffer ownership: the view reads and writes the caller's buffer at absolute indexes, from
 * the position {@link #wrap} saw, so the caller's position and limit never move and may change
 * afterwards; the bytes are shared: the setters write into the caller's memory, and changes the
 * caller makes show through. Reading a view from several threads is safe; the setters are not.
 */
public final class RecordBatchView {

    /** Per thread, the array a codec inflates into before the exact copy; kept up to 1 MiB. */
    private static final ThreadLocal<byte[]> INFLATE_SCRATCH = new ThreadLocal<>();
    private static final int MAX_INFLATE_SCRATCH = 1 << 20;

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Size of a batch with no records; also the smallest legal batch. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** The base offset and batch length in front of every batch and legacy message. */
    public static final int LOG_OVERHEAD = 12;
    public static final byte MAGIC = 2;

    /** The smallest record: a one-byte length, attributes, and one-byte varints for the rest. */
    static final int MIN_RECORD_SIZE = 7;

    private static final int CODEC_MASK = 0x07;
    private static final int TIMESTAMP_TYPE_BIT = 0x08;
    private static final int TRANSACTIONAL_BIT = 0x10;
    private static final int CONTROL_BIT = 0x20;

    /** The caller's buffer (or a big-endian duplicate of it), read and written at absolute indexes only. */
    private final ByteBuffer bytes;
    /** Where the batch starts in {@link #bytes}. */
    private final int base;
    private final int size;

    private RecordBatchView(ByteBuffer bytes, int base, int size) {
        this.bytes = bytes;
        this.base = base;
        this.size = size;
    }

    /**
     * A view over the remaining bytes of {@code buffer}, which must hold exactly one batch of
     * magic 2. Checks the size and magic only; call {@link #ensureValid()} before trusting the rest.
     *
     * @throws ProtocolException {@link Errors#CORRUPT_MESSAGE} if the bytes are too few, the batch
     *     length disagrees with them, or the magic is unknown; {@link
     *     Errors#UNSUPPORTED_FOR_MESSAGE_FORMAT} for a message set of magic 0 or 1
     */
    public static RecordBatchView wrap(ByteBuffer buffer) {
        // No slice: absolute reads need no copy of the buffer's state, which keeps validation
        // free of allocation. Only a little-endian buffer gets a (big-endian) duplicate.
        ByteBuffer bytes = buffer.order() == ByteOrder.BIG_ENDIAN ? buffer : buffer.duplicate();
        int base = buffer.position();
        int size = buffer.remaining();
        if (size > MAGIC_OFFSET) {
            checkMagic(bytes.get(base + MAGIC_OFFSET));
        }
        if (size < HEADER_SIZE) {
            throw corrupt("A record batch needs at least " + HEADER_SIZE + " bytes, got " + size);
        }
        int batchLength = bytes.getInt(base + BATCH_LENGTH_OFFSET);
        if (batchLength != size - LOG_OVERHEAD) {
            throw corrupt("Batch length " + batchLength + " does not match the " + size
                    + " bytes of the batch");
        }
        return new RecordBatchView(bytes, base, size);
    }

    /** Rejects any magic but 2: legacy message sets with their own error, others as corrupt. */
    static void checkMagic(byte magic) {
        if (magic == 0 || magic == 1) {
            throw new ProtocolException(Errors.UNSUPPORTED_FOR_MESSAGE_FORMAT,
                    "Message format v" + magic + " is not supported; only record batches of magic 2 are");
        }
        if (magic != MAGIC) {
            throw corrupt("Unknown record batch magic " + magic);
        }
    }

    // ---- header fields

    public long baseOffset() {
        return bytes.getLong(base + BASE_OFFSET_OFFSET);
    }

    /** The bytes after the batch length field: {@link #sizeInBytes()} - 12. */
    public int batchLength() {
        return bytes.getInt(base + BATCH_LENGTH_OFFSET);
    }

    /** The whole batch in bytes, header included. */
    public int sizeInBytes() {
        return size;
    }

    public int partitionLeaderEpoch() {
        return bytes.getInt(base + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return bytes.get(base + MAGIC_OFFSET);
    }

    /** The stored CRC-32C, unsigned. */
    public long checksum() {
        return bytes.getInt(base + CRC_OFFSET) & 0xFFFF_FFFFL;
    }

    public short attributes() {
        return bytes.getShort(base + ATTRIBUTES_OFFSET);
    }

    /** The codec id of the records, bits 0-2 of the attributes (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
    public int compressionId() {
        return attributes() & CODEC_MASK;
    }

    public boolean isCompressed() {
        return compressionId() != 0;
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_BIT) == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_BIT) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_BIT) != 0;
    }

    public int lastOffsetDelta() {
        return bytes.getInt(base + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after this batch, where the next one starts. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return bytes.getLong(base + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return bytes.getLong(base + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return bytes.getLong(base + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return bytes.getShort(base + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return bytes.getInt(base + BASE_SEQUENCE_OFFSET);
    }

    /** The sequence of the last record, wrapping past {@link Integer#MAX_VALUE} to 0 as Kafka's does; -1 if none. */
    public int lastSequence() {
        int first = baseSequence();
        if (first < 0) {
            return first;
        }
        long last = (long) first + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    /** The record count the header claims; see {@link #ensureValid()} for how far it is checked. */
    public int recordCount() {
        return bytes.getInt(base + RECORD_COUNT_OFFSET);
    }

    // ---- validation

    /**
     * CRC-32C over the attributes to the end of the batch, as it would be stored. Fast on direct
     * and writable heap buffers; a read-only heap buffer hides its array, so the JDK copies it
     * through a small temporary array.
     */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        if (bytes.hasArray()) {
            crc.update(bytes.array(), bytes.arrayOffset() + base + ATTRIBUTES_OFFSET, size - ATTRIBUTES_OFFSET);
        } else {
            crc.update(bytes.slice(base + ATTRIBUTES_OFFSET, size - ATTRIBUTES_OFFSET));
        }
        return crc.getValue();
    }

    /** Whether {@link #ensureValid()} would pass: the CRC matches and the record count is plausible. */
    public boolean isValid() {
        return checksum() == computeChecksum() && countProblem() == null;
    }

    /**
     * Checks everything that needs no decompression: the CRC, then that the record count is not
     * negative, fits the offset range, and (uncompressed) fits the bytes present.
     *
     * @throws ProtocolException {@link Errors#CORRUPT_MESSAGE} on a CRC mismatch, {@link
     *     Errors#INVALID_RECORD} on an impossible record count or offset range
     */
    public void ensureValid() {
        long stored = checksum();
        long computed = computeChecksum();
        if (stored != computed) {
            throw corrupt("Record batch is corrupt (stored crc = " + stored + ", computed crc = " + computed + ")");
        }
        String problem = countProblem();
        if (problem != null) {
            throw new ProtocolException(Errors.INVALID_RECORD, problem);
        }
    }

    private String countProblem() {
        int count = recordCount();
        int lastOffsetDelta = lastOffsetDelta();
        if (count < 0) {
            return "Negative record count " + count;
        }
        if (lastOffsetDelta < 0) {
            return "Negative last offset delta " + lastOffsetDelta;
        }
        // Compaction may remove records but never offsets, so the count can only fall short.
        if (count - 1L > lastOffsetDelta) {
            return "Record count " + count + " exceeds the offset range of " + (lastOffsetDelta + 1L);
        }
        if (!isCompressed() && (long) count * MIN_RECORD_SIZE > sizeInBytes() - RECORDS_OFFSET) {
            return "Record count " + count + " cannot fit in " + (sizeInBytes() - RECORDS_OFFSET) + " bytes of records";
        }
        return null;
    }

    // ---- in-place rewrites

    /** Writes the base offset into the caller's buffer. Not covered by the CRC. */
    public void setBaseOffset(long baseOffset) {
        bytes.putLong(base + BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Writes the partition leader epoch into the caller's buffer. Not covered by the CRC. */
    public void setPartitionLeaderEpoch(int epoch) {
        bytes.putInt(base + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Writes the timestamp type bit and the max timestamp (the broker's clock under {@link
     * TimestampType#LOG_APPEND_TIME}), then recomputes the CRC over the current bytes, so call
     * {@link #ensureValid()} first: a corrupt batch would otherwise be sealed with a good CRC.
     * Does nothing when both are already set.
     */
    public void setMaxTimestamp(TimestampType type, long maxTimestamp) {
        if (type == TimestampType.NO_TIMESTAMP_TYPE) {
            throw new IllegalArgumentException("A batch of magic 2 always has a timestamp type");
        }
        if (timestampType() == type && maxTimestamp() == maxTimestamp) {
            return;
        }
        int attributes = attributes() & ~TIMESTAMP_TYPE_BIT;
        if (type == TimestampType.LOG_APPEND_TIME) {
            attributes |= TIMESTAMP_TYPE_BIT;
        }
        bytes.putShort(base + ATTRIBUTES_OFFSET, (short) attributes);
        bytes.putLong(base + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        bytes.putInt(base + CRC_OFFSET, (int) computeChecksum());
    }

    // ---- records

    /**
     * A cursor over the records of an uncompressed batch, reading the caller's bytes in place.
     *
     * @throws ProtocolException {@link Errors#UNSUPPORTED_COMPRESSION_TYPE} if the batch is
     *     compressed, {@link Errors#INVALID_RECORD} if the record count is negative
     */
    public RecordCursor records() {
        return records(CodecRegistry.NONE, 0);
    }

    /**
     * A cursor over the records, decompressing them first if the batch is compressed. The CRC is
     * not checked here; call {@link #ensureValid()} for that.
     *
     * @param codecs where the codec of a compressed batch is looked up by its id
     * @param maxDecompressedBytes the most bytes a compressed records section may inflate to; the
     *     cursor allocates no more than this for it
     * @throws ProtocolException {@link Errors#UNSUPPORTED_COMPRESSION_TYPE} if no codec has the
     *     batch's id, {@link Errors#CORRUPT_MESSAGE} if the codec rejects the data or it inflates
     *     past {@code maxDecompressedBytes}, {@link Errors#INVALID_RECORD} if the record count is
     *     negative
     */
    public RecordCursor records(CodecRegistry codecs, int maxDecompressedBytes) {
        if (recordCount() < 0) {
            throw new ProtocolException(Errors.INVALID_RECORD, "Negative record count " + recordCount());
        }
        return new RecordCursor(uncompressedRecords(codecs, maxDecompressedBytes), this);
    }

    /**
     * The records section as it reads uncompressed: for an uncompressed batch a read-only view of
     * the caller's bytes, for a compressed one a read-only view of a new buffer of at most
     * {@code maxDecompressedBytes} that the caller owns. The records themselves are not checked.
     *
     * @throws ProtocolException {@link Errors#UNSUPPORTED_COMPRESSION_TYPE} if no codec has the
     *     batch's id, {@link Errors#CORRUPT_MESSAGE} if the codec rejects the data or it inflates
     *     past {@code maxDecompressedBytes}
     */
    public ByteBuffer uncompressedRecords(CodecRegistry codecs, int maxDecompressedBytes) {
        if (!isCompressed()) {
            return recordsSection();
        }
        int id = compressionId();
        CompressionCodec codec = codecs.codec(id);
        if (codec == null) {
            throw new ProtocolException(Errors.UNSUPPORTED_COMPRESSION_TYPE,
                    "No codec with id " + id + " is available to read this batch");
        }
        ByteBuffer decompressed;
        try {
            // As writable as the caller's bytes: a codec reads a heap array in place (a read-only
            // view hides the array and makes it copy every block). Codecs only read.
            decompressed = inflate(codec, bytes.slice(base + RECORDS_OFFSET, size - RECORDS_OFFSET),
                    maxDecompressedBytes);
        } catch (IOException | RuntimeException e) {
            // Codecs are plugins; whatever hostile bytes make them throw must reach the wire as
            // one typed error, not as a codec library's own exception.
            throw new ProtocolException(Errors.CORRUPT_MESSAGE,
                    "Records compressed with " + codec.name() + " cannot be decompressed: " + e.getMessage(), e);
        }
        return decompressed.asReadOnlyBuffer();
    }

    /**
     * Reads the codec's stream into an array that grows by doubling from a guess of twice the
     * compressed size, never past {@code limit} (a bomb is stopped by a one-byte probe once the
     * array holds {@code limit} bytes), then returns an exact copy. The array is the thread's
     * scratch while it stays small: a new array of the guessed size would be zeroed and, when
     * the data hardly compresses, be half unused; copying the bytes once costs less.
     */
    private static ByteBuffer inflate(CompressionCodec codec, ByteBuffer compressed, int limit) throws IOException {
        if (limit < 0) {
            throw new IllegalArgumentException("maxDecompressedBytes must not be negative");
        }
        int guess = (int) Math.min(limit, Math.max(1024L, 2L * compressed.remaining()));
        byte[] scratch = INFLATE_SCRATCH.get();
        byte[] out = scratch != null && scratch.length >= guess ? scratch : new byte[guess];
        int filled = 0;
        try (InputStream in = codec.decompressor(compressed)) {
            while (true) {
                // The scratch may be longer than the limit: never fill past the limit.
                int capacity = Math.min(out.length, limit);
                if (filled == capacity) {
                    if (filled == limit) {
                        if (in.read() != -1) {
                            throw new CorruptDataException(codec.name() + " records inflate to more than "
                                    + limit + " bytes");
                        }
                        break;
                    }
                    out = Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
                    capacity = out.length;
                }
                int n = in.read(out, filled, capacity - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        }
        if (out.length <= MAX_INFLATE_SCRATCH && (scratch == null || out.length > scratch.length)) {
            INFLATE_SCRATCH.set(out);
        }
        return ByteBuffer.wrap(Arrays.copyOf(out, filled));
    }

    // ---- bytes

    /** The whole batch, a new read-only view sharing the bytes; position 0, limit {@link #sizeInBytes()}. */
    public ByteBuffer buffer() {
        return bytes.slice(base, size).asReadOnlyBuffer();
    }

    /** The records section as stored (compressed or not), a new read-only view sharing the bytes. */
    public ByteBuffer recordsSection() {
        return bytes.slice(base + RECORDS_OFFSET, size - RECORDS_OFFSET).asReadOnlyBuffer();
    }

    static ProtocolException corrupt(String message) {
        return new ProtocolException(Errors.CORRUPT_MESSAGE, message);
    }

    @Override
    public String toString() {
        return "RecordBatch(magic=2, offsets=[" + baseOffset() + ", " + lastOffset() + "], size=" + sizeInBytes()
                + ", codec=" + compressionId() + ", count=" + recordCount() + ", crc=" + checksum() + ")";
    }
}
