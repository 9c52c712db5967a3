package io.fjord.protocol.record;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks a buffer of concatenated batches, as found in a produce request, a fetch response or a
 * segment file.
 *
 * <pre>
 * entry := baseOffset int64 | length int32 | length bytes, whose byte 4 is the magic
 * </pre>
 * Magic 2 entries are record batches; magic 0 and 1 entries are legacy message sets, which share
 * the first 17 bytes of layout, so they can be recognised and stepped over but are not read.
 *
 * <p>A fetch response may end in a batch cut short by the byte limit: the walk stops before such a
 * tail, and {@link #truncatedBytes()} tells how many bytes it held. Where a truncated tail is an
 * error (a produce request, a segment below its recovery point), the caller checks that count.
 *
 * <p>Invariant: {@link #position()} is the start of the next entry; every entry before it was
 * complete and had a plausible length. Buffer ownership: walks its own slice of the caller's
 * buffer; the views it returns share the caller's bytes. Not thread-safe.
 */
public final class RecordBatchIterator implements Iterator<RecordBatchView> {

    /** The smallest legacy message after its length field: crc, magic, attributes, key and value lengths. */
    private static final int MIN_LEGACY_ENTRY_LENGTH = 14;

    private final ByteBuffer records;
    private int position;

    /** Walks the remaining bytes of {@code records}; the caller's position and limit are not moved. */
    public RecordBatchIterator(ByteBuffer records) {
        this.records = records.slice();
    }

    /**
     * Whether a complete entry starts at {@link #position()}.
     *
     * @throws ProtocolException {@link Errors#CORRUPT_MESSAGE} if the next entry's length is too
     *     small for any message format (negative included)
     */
    @Override
    public boolean hasNext() {
        int remaining = records.limit() - position;
        if (remaining < RecordBatchView.LOG_OVERHEAD) {
            return false;
        }
        int length = records.getInt(position + RecordBatchView.BATCH_LENGTH_OFFSET);
        if (length < MIN_LEGACY_ENTRY_LENGTH) {
            throw RecordBatchView.corrupt("Entry at byte " + position + " declares " + length
                    + " bytes, fewer than any message format");
        }
        return length <= remaining - RecordBatchView.LOG_OVERHEAD;
    }

    /** The magic byte of the next entry (0, 1 or 2 unless corrupt); requires {@link #hasNext()}. */
    public byte peekMagic() {
        requireNext();
        return records.get(position + RecordBatchView.MAGIC_OFFSET);
    }

    /**
     * The next batch, checked for size and magic only (see {@link RecordBatchView#wrap}). The walk
     * moves past the entry even when this throws for its format or size, so a caller may report a
     * legacy message set and carry on.
     *
     * @throws ProtocolException {@link Errors#UNSUPPORTED_FOR_MESSAGE_FORMAT} for a legacy message
     *     set, {@link Errors#CORRUPT_MESSAGE} for an unknown magic or a batch too short for its header
     */
    @Override
    public RecordBatchView next() {
        requireNext();
        int size = RecordBatchView.LOG_OVERHEAD + records.getInt(position + RecordBatchView.BATCH_LENGTH_OFFSET);
        ByteBuffer entry = records.slice(position, size);
        position += size;
        return RecordBatchView.wrap(entry);
    }

    /** Where the next entry starts, in bytes from the start of the walked buffer. */
    public int position() {
        return position;
    }

    /**
     * The bytes left after the last complete entry once {@link #hasNext()} is false: zero for a
     * buffer that ends cleanly, otherwise the size of a truncated trailing entry.
     */
    public int truncatedBytes() {
        return records.limit() - position;
    }

    private void requireNext() {
        if (!hasNext()) {
            throw new NoSuchElementException("No complete batch at byte " + position);
        }
    }
}
