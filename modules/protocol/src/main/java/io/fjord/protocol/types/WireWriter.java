package io.fjord.protocol.types;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes Kafka's primitive types, big-endian, into a growing heap buffer, and collects record sets
 * as separate parts (see {@link EncodedMessage}).
 *
 * <p>Invariant: bytes between {@code segmentStart} and the buffer's position are the encoded part
 * still being written; every earlier part is complete and is never written again, so growing the
 * buffer never invalidates a part already handed over.
 */
public final class WireWriter {
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private ByteBuffer buffer;
    private int segmentStart;
    private final List<Object> parts = new ArrayList<>();
    private long partsSize;

    public WireWriter() {
        this(256);
    }

    public WireWriter(int initialCapacity) {
        this.buffer = ByteBuffer.allocate(Math.max(16, initialCapacity));
    }

    private void ensure(int bytes) {
        if (buffer.remaining() >= bytes) {
            return;
        }
        long needed = (long) buffer.position() - segmentStart + bytes;
        if (needed > MAX_CAPACITY) {
            throw new IllegalStateException("encoded message too large");
        }
        // Start a fresh buffer holding only the part in progress; finished parts keep the old one.
        int capacity = (int) Math.min(MAX_CAPACITY, Math.max(needed, 2L * buffer.capacity()));
        ByteBuffer grown = ByteBuffer.allocate(capacity);
        grown.put(buffer.array(), segmentStart, buffer.position() - segmentStart);
        buffer = grown;
        segmentStart = 0;
    }

    public WireWriter writeByte(byte value) {
        ensure(1);
        buffer.put(value);
        return this;
    }

    public WireWriter writeBoolean(boolean value) {
        return writeByte(value ? (byte) 1 : (byte) 0);
    }

    public WireWriter writeShort(short value) {
        ensure(2);
        buffer.putShort(value);
        return this;
    }

    public WireWriter writeUnsignedShort(int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException("UINT16 out of range: " + value);
        }
        return writeShort((short) value);
    }

    public WireWriter writeInt(int value) {
        ensure(4);
        buffer.putInt(value);
        return this;
    }

    public WireWriter writeLong(long value) {
        ensure(8);
        buffer.putLong(value);
        return this;
    }

    public WireWriter writeDouble(double value) {
        ensure(8);
        buffer.putDouble(value);
        return this;
    }

    public WireWriter writeUuid(UUID value) {
        ensure(16);
        buffer.putLong(value.getMostSignificantBits());
        buffer.putLong(value.getLeastSignificantBits());
        return this;
    }

    /** An unsigned LEB128 varint: 7 bits per byte, low group first. */
    public WireWriter writeUnsignedVarint(int value) {
        ensure(5);
        while ((value & 0xffffff80) != 0) {
            buffer.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
        return this;
    }

    public WireWriter writeUnsignedVarlong(long value) {
        ensure(10);
        while ((value & 0xffffffffffffff80L) != 0) {
            buffer.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
        return this;
    }

    /** A zigzag signed varint. */
    public WireWriter writeVarint(int value) {
        return writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    /** A zigzag signed varlong. */
    public WireWriter writeVarlong(long value) {
        return writeUnsignedVarlong((value << 1) ^ (value >> 63));
    }

    /** A string (INT16 length, -1 for null) or its compact form (uvarint N+1, 0 for null). */
    public WireWriter writeString(String value, boolean compact) {
        if (value == null) {
            return compact ? writeUnsignedVarint(0) : writeShort((short) -1);
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (compact) {
            writeUnsignedVarint(utf8.length + 1);
        } else {
            if (utf8.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("string longer than 32767 bytes");
            }
            writeShort((short) utf8.length);
        }
        ensure(utf8.length);
        buffer.put(utf8);
        return this;
    }

    /** Bytes (INT32 length, -1 for null) or the compact form; copies the remaining bytes. */
    public WireWriter writeBytes(ByteBuffer value, boolean compact) {
        if (value == null) {
            return compact ? writeUnsignedVarint(0) : writeInt(-1);
        }
        int length = value.remaining();
        if (compact) {
            writeUnsignedVarint(length + 1);
        } else {
            writeInt(length);
        }
        ensure(length);
        buffer.put(value.duplicate());
        return this;
    }

    /** An array length (INT32, -1 for null) or its compact form (uvarint N+1, 0 for null). */
    public WireWriter writeArrayLength(int count, boolean compact) {
        if (count < -1) {
            throw new IllegalArgumentException("array length " + count);
        }
        return compact ? writeUnsignedVarint(count + 1) : writeInt(count);
    }

    /**
     * A {@code RECORDS} value: the length prefix is written here and the record set becomes a
     * separate part of the message, not copied. {@code null} writes the null length.
     */
    public WireWriter writeRecords(RecordSet records, boolean compact) {
        if (records == null) {
            return compact ? writeUnsignedVarint(0) : writeInt(-1);
        }
        int size = records.sizeInBytes();
        if (compact) {
            writeUnsignedVarint(size + 1);
        } else {
            writeInt(size);
        }
        if (size > 0) {
            cutSegment();
            parts.add(records);
            partsSize += size;
        }
        return this;
    }

    /** One tagged field: its tag, its size and its bytes (copied). */
    public WireWriter writeTaggedField(int tag, ByteBuffer bytes) {
        writeUnsignedVarint(tag);
        writeUnsignedVarint(bytes.remaining());
        return writeRaw(bytes);
    }

    /**
     * Writes the unknown tagged fields of {@code fields}, from index {@code from} on, whose tags are
     * below {@code belowTag}: called before each known tag so that every field leaves in tag order.
     * Returns the index of the first field not written.
     */
    public int writeRawTaggedFields(List<RawTaggedField> fields, int from, int belowTag) {
        int i = from;
        while (i < fields.size() && fields.get(i).tag() < belowTag) {
            RawTaggedField f = fields.get(i++);
            writeTaggedField(f.tag(), f.data());
        }
        return i;
    }

    /** Appends raw bytes, copying them. */
    public WireWriter writeRaw(ByteBuffer bytes) {
        ensure(bytes.remaining());
        buffer.put(bytes.duplicate());
        return this;
    }

    private void cutSegment() {
        int end = buffer.position();
        if (end > segmentStart) {
            parts.add(buffer.slice(segmentStart, end - segmentStart));
            partsSize += end - segmentStart;
        }
        segmentStart = end;
    }

    /** The number of bytes written so far, record sets included. */
    public long sizeInBytes() {
        return partsSize + buffer.position() - segmentStart;
    }

    /** Finishes the message; the writer must not be used afterwards. */
    public EncodedMessage finish() {
        cutSegment();
        if (partsSize > Integer.MAX_VALUE) {
            throw new IllegalStateException("encoded message too large: " + partsSize);
        }
        return new EncodedMessage(parts, (int) partsSize);
    }

    /**
     * The bytes written so far as one buffer, for writers that never received a record set (such as
     * the body of a tagged field); the writer must not be used afterwards.
     */
    public ByteBuffer finishAsBuffer() {
        if (!parts.isEmpty()) {
            throw new IllegalStateException("writer holds record sets");
        }
        return buffer.slice(segmentStart, buffer.position() - segmentStart);
    }
}
