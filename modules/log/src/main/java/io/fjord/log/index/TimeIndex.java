package io.fjord.log.index;

import io.fjord.log.TimestampOffset;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * A segment's {@code .timeindex} file: a sparse map from timestamp to offset, in Kafka's layout.
 *
 * <p>Each 12-byte entry is a big-endian long timestamp followed by a big-endian int relative
 * offset. Both strictly increase from entry to entry: an entry is added only when the segment's
 * largest timestamp so far has grown. An entry {@code (t, o)} means: no record before the batch
 * holding offset {@code o} has a timestamp above {@code t}. One slot is always kept free so that
 * the final entry (largest timestamp of the segment) can be written when the segment rolls.
 */
public final class TimeIndex extends AbstractIndex {

    public static final int ENTRY_SIZE = 12;

    public TimeIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    @Override
    protected long keyAt(MappedByteBuffer buffer, int slot) {
        return buffer.getLong(slot * ENTRY_SIZE);
    }

    /** Full one slot early: the last slot is reserved for the entry written on roll. */
    @Override
    public boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    public TimestampOffset entry(int slot) {
        MappedByteBuffer buffer = buffer();
        return new TimestampOffset(buffer.getLong(slot * ENTRY_SIZE),
                baseOffset() + buffer.getInt(slot * ENTRY_SIZE + 8));
    }

    /** The last entry, or (-1, baseOffset) when empty. */
    public TimestampOffset lastEntry() {
        int count = entries();
        return count == 0 ? new TimestampOffset(-1L, baseOffset()) : entry(count - 1);
    }

    /**
     * The largest entry whose timestamp is at most {@code targetTimestamp}, or (-1, baseOffset)
     * when there is none: scanning from that offset finds the first record at or after the target.
     */
    public TimestampOffset lookup(long targetTimestamp) {
        int count = entries(); // before the buffer: a buffer taken later has room for these entries
        MappedByteBuffer buffer = buffer();
        int slot = largestLowerBoundSlot(buffer, count, targetTimestamp);
        if (slot < 0) {
            return new TimestampOffset(-1L, baseOffset());
        }
        return new TimestampOffset(buffer.getLong(slot * ENTRY_SIZE),
                baseOffset() + buffer.getInt(slot * ENTRY_SIZE + 8));
    }

    /**
     * Adds {@code (timestamp, offset)} if the timestamp is larger than the last entry's. Only the
     * partition's writer calls this.
     *
     * @param skipFullCheck true only for the final entry written when the segment rolls
     */
    public void maybeAppend(long timestamp, long offset, boolean skipFullCheck) {
        if (!skipFullCheck && isFull()) {
            throw new IllegalStateException("time index " + file() + " is full");
        }
        int count = entries();
        TimestampOffset last = lastEntry();
        if (count > 0 && offset < last.offset()) {
            throw new IllegalStateException("offset " + offset + " is smaller than the last time-indexed offset "
                    + last.offset() + " in " + file());
        }
        if (count > 0 && timestamp <= last.timestamp()) {
            return;
        }
        if (count >= maxEntries()) {
            throw new IllegalStateException("time index " + file() + " has no slot left");
        }
        long relative = offset - baseOffset();
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalStateException("offset " + offset + " does not fit relative to " + baseOffset());
        }
        MappedByteBuffer buffer = bufferForAppend();
        buffer.putLong(count * ENTRY_SIZE, timestamp);
        buffer.putInt(count * ENTRY_SIZE + 8, (int) relative);
        publishEntry();
    }

    @Override
    public void sanityCheck() throws CorruptIndexException {
        long length = file().toFile().length();
        if (length % ENTRY_SIZE != 0) {
            throw new CorruptIndexException("time index " + file() + " has length " + length
                    + ", not a multiple of " + ENTRY_SIZE);
        }
        int count = entries();
        long previousTimestamp = Long.MIN_VALUE;
        int previousRelative = -1;
        MappedByteBuffer buffer = buffer();
        for (int slot = 0; slot < count; slot++) {
            long timestamp = buffer.getLong(slot * ENTRY_SIZE);
            int relative = buffer.getInt(slot * ENTRY_SIZE + 8);
            if (timestamp <= previousTimestamp || relative < previousRelative) {
                throw new CorruptIndexException("time index " + file() + " is not sorted at entry " + slot);
            }
            previousTimestamp = timestamp;
            previousRelative = relative;
        }
    }
}
