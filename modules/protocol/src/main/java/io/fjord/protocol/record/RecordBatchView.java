package io.fjord.protocol.record;

import io.fjord.api.TimestampType;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.protocol.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * <p>Buffer ownership: the view keeps its own slice of the caller's buffer, so the caller's
 * position and limit never move, but the bytes are shared: the setters write into the caller's
 * memory, and changes the caller makes show through. A view is not thread-safe.
 */
public final class RecordBatchView {

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
    private static final int DELETE_HORIZON_BIT = 0x40;

    private final ByteBuffer batch;

    private RecordBatchView(ByteBuffer batch) {
        this.batch = batch;
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
        ByteBuffer batch = buffer.slice();
        int size = batch.remaining();
        if (size > MAGIC_OFFSET) {
            checkMagic(batch.get(MAGIC_OFFSET));
        }
        if (size < HEADER_SIZE) {
            throw corrupt("A record batch needs at least " + HEADER_SIZE + " bytes, got " + size);
        }
        int batchLength = batch.getInt(BATCH_LENGTH_OFFSET);
        if (batchLength != size - LOG_OVERHEAD) {
            throw corrupt("Batch length " + batchLength + " does not match the " + size
                    + " bytes of the batch");
        }
        return new RecordBatchView(batch);
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
        return batch.getLong(BASE_OFFSET_OFFSET);
    }

    /** The bytes after the batch length field: {@link #sizeInBytes()} - 12. */
    public int batchLength() {
        return batch.getInt(BATCH_LENGTH_OFFSET);
    }

    /** The whole batch in bytes, header included. */
    public int sizeInBytes() {
        return batch.limit();
    }

    public int partitionLeaderEpoch() {
        return batch.getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return batch.get(MAGIC_OFFSET);
    }

    /** The stored CRC-32C, unsigned. */
    public long checksum() {
        return batch.getInt(CRC_OFFSET) & 0xFFFF_FFFFL;
    }

    public short attributes() {
        return batch.getShort(ATTRIBUTES_OFFSET);
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

    /** Whether compaction stamped a delete horizon into the base timestamp. */
    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_BIT) != 0;
    }

    public int lastOffsetDelta() {
        return batch.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after this batch, where the next one starts. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return batch.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return batch.getLong(MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return batch.getLong(PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return batch.getShort(PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return batch.getInt(BASE_SEQUENCE_OFFSET);
    }

    /** The sequence of the last record, wrapping past {@link Integer#MAX_VALUE} to 0 as Kafka's does; -1 if none. */
    public int lastSequence() {
        int base = baseSequence();
        if (base < 0) {
            return base;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    /** The record count the header claims; see {@link #ensureValid()} for how far it is checked. */
    public int recordCount() {
        return batch.getInt(RECORD_COUNT_OFFSET);
    }

    // ---- validation

    /**
     * CRC-32C over the attributes to the end of the batch, as it would be stored. Fast on direct
     * and writable heap buffers; a read-only heap buffer hides its array, so the JDK copies it
     * through a small temporary array.
     */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        // The slice is ours: moving its position is invisible to the caller.
        batch.position(ATTRIBUTES_OFFSET);
        crc.update(batch);
        batch.position(0);
        return crc.getValue();
    }

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
        batch.putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Writes the partition leader epoch into the caller's buffer. Not covered by the CRC. */
    public void setPartitionLeaderEpoch(int epoch) {
        batch.putInt(PARTITION_LEADER_EPOCH_OFFSET, epoch);
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
        batch.putShort(ATTRIBUTES_OFFSET, (short) attributes);
        batch.putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp);
        batch.putInt(CRC_OFFSET, (int) computeChecksum());
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
        if (!isCompressed()) {
            return new RecordCursor(recordsSection(), this);
        }
        int id = compressionId();
        CompressionCodec codec = codecs.codec(id);
        if (codec == null) {
            throw new ProtocolException(Errors.UNSUPPORTED_COMPRESSION_TYPE,
                    "No codec with id " + id + " is available to read this batch");
        }
        ByteBuffer decompressed;
        try {
            decompressed = codec.decompress(recordsSection(), maxDecompressedBytes);
        } catch (IOException | RuntimeException e) {
            // Codecs are plugins; whatever hostile bytes make them throw must reach the wire as
            // one typed error, not as a codec library's own exception.
            throw new ProtocolException(Errors.CORRUPT_MESSAGE,
                    "Records compressed with " + codec.name() + " cannot be decompressed: " + e.getMessage(), e);
        }
        return new RecordCursor(decompressed.asReadOnlyBuffer(), this);
    }

    // ---- bytes

    /** The whole batch, a new read-only view sharing the bytes; position 0, limit {@link #sizeInBytes()}. */
    public ByteBuffer buffer() {
        return batch.asReadOnlyBuffer().clear();
    }

    /** The records section as stored (compressed or not), a new read-only view sharing the bytes. */
    public ByteBuffer recordsSection() {
        return batch.asReadOnlyBuffer().position(RECORDS_OFFSET).slice();
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
