package io.fjord.protocol.types;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link RecordSet} over bytes already in memory.
 *
 * <p>Buffer ownership: holds a read-only view of the given buffer's remaining bytes, not a copy;
 * the caller must not change those bytes while the record set is in use.
 */
public final class MemoryRecordSet implements RecordSet {
    private final ByteBuffer bytes;

    public MemoryRecordSet(ByteBuffer bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes").slice().asReadOnlyBuffer();
    }

    /** A view of the bytes, positioned at their start. */
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
    public String toString() {
        return "MemoryRecordSet(" + bytes.remaining() + " bytes)";
    }
}
