package io.fjord.protocol.types;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link RecordSet} over bytes already in memory.
 *
 * <p>Buffer ownership: holds a view of the given buffer's remaining bytes, not a copy; the caller
 * must not change those bytes while the record set is in use. {@link #readOnly(ByteBuffer)}
 * makes the view read-only; {@link #of(ByteBuffer)} keeps it writable, for the produce path, which
 * stamps offsets into a request's batches in place before appending them.
 *
 * <p>Two memory record sets are equal when their bytes are.
 */
public final class MemoryRecordSet implements RecordSet {
    private final ByteBuffer bytes;

    private MemoryRecordSet(ByteBuffer view) {
        this.bytes = view;
    }

    /** A record set over a read-only view of {@code bytes}'s remaining bytes. */
    public static MemoryRecordSet readOnly(ByteBuffer bytes) {
        return new MemoryRecordSet(Objects.requireNonNull(bytes, "bytes").slice().asReadOnlyBuffer());
    }

    /** A record set over {@code bytes}'s remaining bytes, as writable as {@code bytes} is. */
    public static MemoryRecordSet of(ByteBuffer bytes) {
        return new MemoryRecordSet(Objects.requireNonNull(bytes, "bytes").slice());
    }

    /** Over a slice the caller made and hands over (the reader's own slice of a request). */
    static MemoryRecordSet ofSlice(ByteBuffer slice) {
        return new MemoryRecordSet(slice);
    }

    /** A view of the bytes, positioned at their start; writable if the record set was made by {@link #of}. */
    public ByteBuffer buffer() {
        return bytes.duplicate();
    }

    @Override
    public int sizeInBytes() {
        return bytes.remaining();
    }

    @Override
    public void copyTo(ByteBuffer destination) {
        destination.put(bytes.duplicate());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryRecordSet other && bytes.equals(other.bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    @Override
    public String toString() {
        return "MemoryRecordSet(" + bytes.remaining() + " bytes)";
    }
}
