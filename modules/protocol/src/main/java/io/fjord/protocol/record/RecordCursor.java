package io.fjord.protocol.record;

import io.fjord.api.TimestampType;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the records of one batch, one at a time, over the uncompressed records section.
 *
 * <pre>
 * record := length varint        bytes after this field
 *           attributes int8      unused
 *           timestampDelta varlong
 *           offsetDelta varint
 *           keyLength varint     -1 = null
 *           key bytes
 *           valueLength varint   -1 = null
 *           value bytes
 *           headerCount varint
 *           headers: keyLength varint (never null) | key UTF-8 | valueLength varint (-1 = null) | value
 * </pre>
 * All varints are zigzag-encoded, at most 5 bytes (varint) or 10 bytes (varlong).
 *
 * <p>Invariant after {@link #next()} returned true: every length and varint of the current
 * record, headers included, has been checked to stay inside the record, and the record's fields
 * fill its declared length exactly. A flyweight: {@link #next()} allocates nothing; the slices and
 * header lists are made only when asked for.
 *
 * <p>Buffer ownership: the records buffer is a read-only view, either of the caller's batch
 * (uncompressed) or of a buffer the cursor decompressed into and owns. Slices handed out share
 * those bytes. Not thread-safe.
 */
public final class RecordCursor {

    /** attributes, timestampDelta, offsetDelta, keyLength, valueLength, headerCount: one byte each at least. */
    private static final int MIN_BODY_SIZE = 6;

    private final ByteBuffer records;
    private final int limit;
    private final int count;
    private final long baseOffset;
    private final long baseTimestamp;
    private final boolean logAppendTime;
    private final long maxTimestamp;
    private final int baseSequence;

    private int position;
    private int read;

    private int recordStart;
    private int recordEnd;
    private byte attributes;
    private long timestampDelta;
    private int offsetDelta;
    private int keyPosition;
    private int keyLength = -1;
    private int valuePosition;
    private int valueLength = -1;
    private int headersPosition;
    private int headerCount;

    RecordCursor(ByteBuffer records, RecordBatchView batch) {
        this.records = records;
        this.limit = records.limit();
        this.count = batch.recordCount();
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        this.maxTimestamp = batch.maxTimestamp();
        this.baseSequence = batch.baseSequence();
        this.position = records.position();
    }

    /**
     * Moves to the next record and checks its structure.
     *
     * @return false once the declared number of records has been read and no bytes remain
     * @throws ProtocolException {@link Errors#INVALID_RECORD} if a length or varint overruns the
     *     record or the batch, a varint is too long, a length is negative (other than -1 for a null
     *     key or value), or the records section holds more or fewer records than the batch declares
     */
    public boolean next() {
        if (read == count) {
            if (position != limit) {
                throw invalid("Incorrect declared batch size: " + (limit - position)
                        + " bytes remain after the " + count + " declared records");
            }
            return false;
        }
        recordStart = position;
        int length = readVarint(limit);
        if (length < MIN_BODY_SIZE || length > limit - position) {
            throw invalid("Record " + read + " declares " + length + " bytes, but " + (limit - position)
                    + " remain of the " + count + " declared records");
        }
        int end = position + length;
        attributes = records.get(position++);
        timestampDelta = readVarlong(end);
        offsetDelta = readVarint(end);
        keyLength = readLength(end, "key");
        keyPosition = position;
        position += Math.max(0, keyLength);
        valueLength = readLength(end, "value");
        valuePosition = position;
        position += Math.max(0, valueLength);
        headerCount = readVarint(end);
        // Each header takes two varints at least; this also bounds what headers() allocates.
        if (headerCount < 0 || headerCount > (end - position) / 2) {
            throw invalid("Record " + read + " declares " + headerCount + " headers in " + (end - position) + " bytes");
        }
        headersPosition = position;
        for (int i = 0; i < headerCount; i++) {
            int headerKeyLength = readVarint(end);
            if (headerKeyLength < 0 || headerKeyLength > end - position) {
                throw invalid("Header key of " + headerKeyLength + " bytes in a record with " + (end - position) + " left");
            }
            position += headerKeyLength;
            int headerValueLength = readLength(end, "header value");
            position += Math.max(0, headerValueLength);
        }
        if (position != end) {
            throw invalid("Record " + read + " declares " + length + " bytes but leaves "
                    + (end - position) + " of them after its last header");
        }
        recordEnd = end;
        read++;
        return true;
    }

    /** The number of records the batch declares. */
    public int count() {
        return count;
    }

    public long offset() {
        return baseOffset + offsetDelta;
    }

    public int offsetDelta() {
        return offsetDelta;
    }

    /** The record's timestamp; under log-append time the batch's max timestamp, as in Kafka. */
    public long timestamp() {
        return logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta;
    }

    public long timestampDelta() {
        return timestampDelta;
    }

    /** The producer sequence of this record, or -1 if the batch has none. */
    public int sequence() {
        if (baseSequence < 0) {
            return -1;
        }
        long sequence = (long) baseSequence + offsetDelta;
        return (int) (sequence > Integer.MAX_VALUE ? sequence - Integer.MAX_VALUE - 1 : sequence);
    }

    public byte attributes() {
        return attributes;
    }

    /** The record's size in the uncompressed records section, length varint included. */
    public int sizeInBytes() {
        return recordEnd - recordStart;
    }

    /** The records section this cursor walks (uncompressed), whose indexes the positions below use. */
    public ByteBuffer recordsBuffer() {
        return records.duplicate();
    }

    /** Where the current record (its length varint) starts in {@link #recordsBuffer()}. */
    public int recordPosition() {
        return recordStart;
    }

    /** Where the current record's key starts in {@link #recordsBuffer()}; only meaningful for a non-null key. */
    public int keyPosition() {
        return keyPosition;
    }

    /** The key length, or -1 for a null key. */
    public int keySize() {
        return keyLength;
    }

    /** The key as a read-only slice of the records bytes, or null. */
    public ByteBuffer key() {
        return keyLength < 0 ? null : records.slice(keyPosition, keyLength);
    }

    /** The value length, or -1 for a null value. */
    public int valueSize() {
        return valueLength;
    }

    /** The value as a read-only slice of the records bytes, or null. */
    public ByteBuffer value() {
        return valueLength < 0 ? null : records.slice(valuePosition, valueLength);
    }

    public int headerCount() {
        return headerCount;
    }

    /** The headers of the current record, in order, as slices of the records bytes. */
    public List<RecordHeaderView> headers() {
        List<RecordHeaderView> headers = new ArrayList<>(headerCount);
        int saved = position;
        position = headersPosition;
        // next() validated these lengths already; re-reading them cannot fail.
        for (int i = 0; i < headerCount; i++) {
            int keyLen = readVarint(recordEnd);
            ByteBuffer key = records.slice(position, keyLen);
            position += keyLen;
            int valueLen = readVarint(recordEnd);
            ByteBuffer value = valueLen < 0 ? null : records.slice(position, valueLen);
            position += Math.max(0, valueLen);
            headers.add(new RecordHeaderView(key, value));
        }
        position = saved;
        return headers;
    }

    /** A copy of the remaining bytes of a buffer, or null for null. */
    static byte[] copy(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private int readLength(int end, String what) {
        int length = readVarint(end);
        if (length < -1 || length > end - position) {
            throw invalid("Record " + read + " has a " + what + " of " + length + " bytes with " + (end - position) + " left");
        }
        return length;
    }

    private int readVarint(int end) {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (position >= end) {
                throw invalid("A varint runs past the end of record " + read);
            }
            byte b = records.get(position++);
            raw |= (b & 0x7F) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw invalid("A varint in record " + read + " is longer than 5 bytes");
    }

    private long readVarlong(int end) {
        long raw = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (position >= end) {
                throw invalid("A varlong runs past the end of record " + read);
            }
            byte b = records.get(position++);
            raw |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw invalid("A varlong in record " + read + " is longer than 10 bytes");
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(Errors.INVALID_RECORD, message);
    }
}
