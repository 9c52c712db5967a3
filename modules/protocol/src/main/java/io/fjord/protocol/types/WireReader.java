package io.fjord.protocol.types;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Reads Kafka's primitive types, big-endian, from a {@link ByteBuffer}.
 *
 * <p>Invariant: every length read from the wire is checked against {@link #remaining()} before
 * anything is allocated or sliced, so a hostile length can never make the reader allocate more
 * than the bytes actually present. Every malformed input ends in a {@link ProtocolException}
 * carrying the error given at construction (normally {@link Errors#INVALID_REQUEST}).
 *
 * <p>Buffer ownership: the reader works on the buffer it is given and advances its position; it
 * never copies the bytes of {@code BYTES} and {@code RECORDS} values but returns read-only-by-
 * convention slices that share the buffer's memory, so the caller must keep the buffer unchanged
 * while those slices are in use.
 */
public final class WireReader {
    private final ByteBuffer buffer;
    private final Errors error;

    /** A reader that reports malformed input as {@link Errors#INVALID_REQUEST}. */
    public WireReader(ByteBuffer buffer) {
        this(buffer, Errors.INVALID_REQUEST);
    }

    public WireReader(ByteBuffer buffer, Errors error) {
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("Kafka's wire format is big-endian");
        }
        this.buffer = buffer;
        this.error = error;
    }

    /** The underlying buffer, positioned at the next unread byte. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public int remaining() {
        return buffer.remaining();
    }

    /** The exception this reader throws for malformed input. */
    public ProtocolException malformed(String message) {
        return new ProtocolException(error, message);
    }

    private void require(int bytes, String what) {
        if (bytes < 0 || bytes > buffer.remaining()) {
            throw malformed(what + " needs " + (bytes & 0xffffffffL) + " bytes but only "
                    + buffer.remaining() + " remain");
        }
    }

    public byte readByte() {
        require(1, "INT8");
        return buffer.get();
    }

    /** Kafka reads any non-zero byte as {@code true}. */
    public boolean readBoolean() {
        require(1, "BOOLEAN");
        return buffer.get() != 0;
    }

    public short readShort() {
        require(2, "INT16");
        return buffer.getShort();
    }

    public int readUnsignedShort() {
        require(2, "UINT16");
        return buffer.getShort() & 0xffff;
    }

    public int readInt() {
        require(4, "INT32");
        return buffer.getInt();
    }

    public long readLong() {
        require(8, "INT64");
        return buffer.getLong();
    }

    public double readDouble() {
        require(8, "FLOAT64");
        return buffer.getDouble();
    }

    public UUID readUuid() {
        require(16, "UUID");
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** An unsigned LEB128 varint of at most 5 bytes (32 bits). */
    public int readUnsignedVarint() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw malformed("truncated varint");
            }
            byte b = buffer.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw malformed("varint longer than 5 bytes");
    }

    /** An unsigned LEB128 varlong of at most 10 bytes (64 bits). */
    public long readUnsignedVarlong() {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw malformed("truncated varlong");
            }
            byte b = buffer.get();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw malformed("varlong longer than 10 bytes");
    }

    /** A zigzag-encoded signed varint (the encoding used inside record batches). */
    public int readVarint() {
        int raw = readUnsignedVarint();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A zigzag-encoded signed varlong. */
    public long readVarlong() {
        long raw = readUnsignedVarlong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /**
     * The length of a string, bytes or records value: INT16 (strings) or INT32 (bytes) in classic
     * encoding, unsigned varint N+1 in compact encoding. Returns -1 for null (any negative
     * length, as Kafka reads it), which is only legal if {@code nullable}; a length beyond the
     * remaining bytes is rejected here.
     */
    private int readLength(boolean compact, boolean int16, boolean nullable, String what) {
        int length;
        if (compact) {
            length = readUnsignedVarint() - 1;
        } else {
            length = int16 ? readShort() : readInt();
        }
        if (length < 0) {
            // Kafka reads any negative length as null, not only -1: in compact encoding that is a
            // varint of 0 or one whose value does not fit a signed int.
            if (!nullable) {
                throw malformed("null " + what + " where the schema forbids it");
            }
            return -1;
        }
        require(length, what);
        return length;
    }

    /** A STRING or NULLABLE_STRING (INT16 length), or its compact form. */
    public String readString(boolean compact, boolean nullable) {
        int length = readLength(compact, true, nullable, "string");
        if (length <= 0) {
            return length < 0 ? null : "";
        }
        String value;
        if (buffer.hasArray()) {
            value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length,
                    StandardCharsets.UTF_8);
            buffer.position(buffer.position() + length);
        } else {
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        return value;
    }

    /** A BYTES or NULLABLE_BYTES value (INT32 length), or its compact form, as a slice. */
    public ByteBuffer readBytes(boolean compact, boolean nullable) {
        int length = readLength(compact, false, nullable, "bytes");
        return length < 0 ? null : readSlice(length);
    }

    /**
     * An array length: INT32 in classic encoding, unsigned varint N+1 in compact encoding; -1 for
     * null. The count is bounded by the remaining bytes divided by {@code minElementSize}, so the
     * caller may size its storage by it.
     */
    public int readArrayLength(boolean compact, boolean nullable, int minElementSize) {
        int count;
        if (compact) {
            count = readUnsignedVarint() - 1;
        } else {
            count = readInt();
        }
        if (count < 0) {
            // Kafka reads any negative count as null, not only -1: in compact encoding that is a
            // varint of 0 or one whose value does not fit a signed int.
            if (!nullable) {
                throw malformed("null array where the schema forbids it");
            }
            return -1;
        }
        if ((long) count * Math.max(1, minElementSize) > buffer.remaining()) {
            throw malformed("array of " + count + " elements cannot fit in " + buffer.remaining()
                    + " bytes");
        }
        return count;
    }

    /** The next {@code length} bytes as a slice sharing this buffer's memory. */
    public ByteBuffer readSlice(int length) {
        require(length, "slice");
        int start = buffer.position();
        ByteBuffer slice = buffer.slice(start, length);
        buffer.position(start + length);
        return slice;
    }

    /** Skips {@code length} bytes. */
    public void skip(int length) {
        require(length, "skip");
        buffer.position(buffer.position() + length);
    }

    /**
     * A {@code RECORDS} value as a record set over a slice of this buffer, or null. The slice is
     * writable when the buffer is: the produce path stamps offsets into the batches in place.
     */
    public RecordSet readRecords(boolean compact, boolean nullable) {
        ByteBuffer bytes = readBytes(compact, nullable);
        return bytes == null ? null : MemoryRecordSet.ofSlice(bytes);
    }

    /**
     * The count of a tagged-field section; each field takes at least two bytes (tag and size), which
     * bounds the count by the bytes present.
     */
    public int readTaggedFieldCount() {
        int count = readUnsignedVarint();
        if (count < 0 || (long) count * 2 > buffer.remaining()) {
            throw malformed("tagged field count " + (count & 0xffffffffL) + " out of range");
        }
        return count;
    }

    /**
     * The size and bytes of one tagged field (after its tag), as a reader over exactly those bytes;
     * this reader moves past them.
     */
    public WireReader readTaggedField() {
        int size = readUnsignedVarint();
        if (size < 0 || size > buffer.remaining()) {
            throw malformed("tagged field of " + (size & 0xffffffffL) + " bytes exceeds the "
                    + buffer.remaining() + " remaining");
        }
        return new WireReader(readSlice(size), error);
    }

    /** Throws unless every byte has been read: a field's value must fill its declared size. */
    public void requireFullyRead(String what) {
        if (buffer.hasRemaining()) {
            throw malformed(what + " has " + buffer.remaining() + " trailing bytes");
        }
    }

    /** Reads a tagged-field section and skips every field in it. */
    public void skipTaggedFields() {
        int count = readTaggedFieldCount();
        for (int i = 0; i < count; i++) {
            readUnsignedVarint();
            readTaggedField();
        }
    }
}
