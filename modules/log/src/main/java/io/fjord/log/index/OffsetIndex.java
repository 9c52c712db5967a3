package io.fjord.log.index;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * A segment's {@code .index} file: a sparse map from offset to byte position in the
 * {@code .log} file, in Kafka's layout.
 *
 * <p>Each 8-byte entry is a big-endian int relative offset ({@code offset - baseOffset}) followed
 * by a big-endian int position. Offsets strictly increase from entry to entry, positions never
 * decrease. An entry {@code (o, p)} means: a batch starts at byte {@code p} and holds offset
 * {@code o} (the log writes the batch's last offset), so every batch before {@code p} ends below
 * {@code o}. A lookup finds the last entry at most the target and scans batch headers forward
 * from its position; a reader bounded by bytes can jump to the last entry below its byte limit. The log adds an entry at most once per
 * {@code index.interval.bytes} of appended data.
 */
public final class OffsetIndex extends AbstractIndex {

    public static final int ENTRY_SIZE = 8;

    public OffsetIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    @Override
    protected long keyAt(MappedByteBuffer buffer, int slot) {
        return buffer.getInt(slot * ENTRY_SIZE);
    }

    /** The entry in slot {@code slot}. */
    public OffsetPosition entry(int slot) {
        MappedByteBuffer buffer = buffer();
        return new OffsetPosition(baseOffset() + buffer.getInt(slot * ENTRY_SIZE),
                buffer.getInt(slot * ENTRY_SIZE + 4));
    }

    /** The last entry, or (baseOffset, 0) when empty. */
    public OffsetPosition lastEntry() {
        int count = entries();
        return count == 0 ? new OffsetPosition(baseOffset(), 0) : entry(count - 1);
    }

    /**
     * The position to start scanning from for {@code targetOffset}: the largest entry whose
     * offset is at most the target, or (baseOffset, 0) when there is none.
     */
    public OffsetPosition lookup(long targetOffset) {
        int count = entries(); // before the buffer: a buffer taken later has room for these entries
        MappedByteBuffer buffer = buffer();
        int slot = largestLowerBoundSlot(buffer, count, targetOffset - baseOffset());
        if (slot < 0) {
            return new OffsetPosition(baseOffset(), 0);
        }
        return new OffsetPosition(baseOffset() + buffer.getInt(slot * ENTRY_SIZE),
                buffer.getInt(slot * ENTRY_SIZE + 4));
    }

    /**
     * The last entry whose position is at most {@code maxPosition}, or null. Every entry's
     * position is the start of a batch, so a reader can skip to it without reading the headers
     * of the batches before it.
     */
    public OffsetPosition lookupByPosition(long maxPosition) {
        int hi = entries() - 1;
        MappedByteBuffer buffer = buffer();
        int lo = 0;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (buffer.getInt(mid * ENTRY_SIZE + 4) <= maxPosition) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        return new OffsetPosition(baseOffset() + buffer.getInt(found * ENTRY_SIZE),
                buffer.getInt(found * ENTRY_SIZE + 4));
    }

    /** Whether {@code offset} can be stored relative to this index's base offset. */
    public boolean canAppendOffset(long offset) {
        long relative = offset - baseOffset();
        return relative >= 0 && relative <= Integer.MAX_VALUE;
    }

    /**
     * Adds an entry. Only the partition's writer calls this.
     *
     * @throws IllegalStateException if the index is full, the offset does not increase or does
     *     not fit a relative int
     */
    public void append(long offset, int position) {
        if (isFull()) {
            throw new IllegalStateException("offset index " + file() + " is full");
        }
        int count = entries();
        if (count > 0 && offset <= lastEntry().offset()) {
            throw new IllegalStateException("offset " + offset + " is not larger than the last indexed offset "
                    + lastEntry().offset() + " in " + file());
        }
        if (!canAppendOffset(offset)) {
            throw new IllegalStateException("offset " + offset + " does not fit relative to " + baseOffset());
        }
        MappedByteBuffer buffer = bufferForAppend();
        buffer.putInt(count * ENTRY_SIZE, (int) (offset - baseOffset()));
        buffer.putInt(count * ENTRY_SIZE + 4, position);
        publishEntry();
    }

    @Override
    public void sanityCheck() throws CorruptIndexException {
        long length = file().toFile().length();
        if (length % ENTRY_SIZE != 0) {
            throw new CorruptIndexException("offset index " + file() + " has length " + length
                    + ", not a multiple of " + ENTRY_SIZE);
        }
        int count = entries();
        MappedByteBuffer buffer = buffer();
        int previousRelative = -1;
        int previousPosition = 0;
        for (int slot = 0; slot < count; slot++) {
            int relative = buffer.getInt(slot * ENTRY_SIZE);
            int position = buffer.getInt(slot * ENTRY_SIZE + 4);
            if (relative <= previousRelative || position < previousPosition) {
                throw new CorruptIndexException("offset index " + file() + " is not sorted at entry " + slot);
            }
            previousRelative = relative;
            previousPosition = position;
        }
    }
}
