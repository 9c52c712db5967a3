package io.fjord.log.index;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A memory-mapped file of fixed-size, big-endian entries sorted by a key, as Kafka lays out its
 * {@code .index} and {@code .timeindex} files.
 *
 * <p>Invariants: the file of an active segment is preallocated to {@code maxIndexSize} rounded
 * down to a whole entry and mapped once; only slots {@code [0, entries)} hold data, the rest are
 * zeros. When the segment becomes inactive or the log closes, the file is trimmed to
 * {@code entries * entrySize}, so a cleanly closed index file's length says how many entries it
 * has. Keys never decrease from one slot to the next.
 *
 * <p>Concurrency: one writer (the partition's appender) and any number of lock-free readers.
 * The writer fills a slot with absolute puts and only then increments the volatile
 * {@link #entries}; a reader reads {@code entries} first and touches only slots below it, so
 * the volatile write/read pair orders the slot bytes before the reader sees them. A resize maps
 * a new buffer and publishes it through the volatile {@link #mmap} field; old mappings are not
 * force-unmapped (a reader may still hold one) and are released by the garbage collector. A
 * trim never shrinks below {@code entries}, so no reader touches bytes past the file's end.
 *
 * <p>No file descriptor is held: the file is opened only to size and map it (as Kafka's indexes
 * do), since a mapping outlives its channel. A broker with thousands of partitions would otherwise
 * keep two descriptors per segment open for its indexes alone.
 */
public abstract class AbstractIndex implements AutoCloseable {

    /** Kafka searches the last 8 KiB of an index first: the pages lookups for recent offsets touch. */
    private static final int WARM_BYTES = 8192;

    private volatile Path file;
    private final long baseOffset;
    private final int entrySize;
    private volatile MappedByteBuffer mmap;
    private boolean closed;
    private volatile int entries;
    private volatile int maxEntries;
    private final boolean createdFresh;

    /**
     * Opens or creates the index. A new file is preallocated to {@code maxIndexSize}; an existing
     * one is mapped at its current length and its entry count is taken from that length (the
     * caller checks it with {@link #sanityCheck} and rebuilds it if needed).
     */
    public AbstractIndex(Path file, long baseOffset, int maxIndexSize, int entrySize) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        boolean created = !Files.exists(file);
        this.createdFresh = created;
        long length;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (created) {
                length = roundDown(maxIndexSize);
                channel.truncate(0);
                preallocate(channel, length);
            } else {
                length = channel.size();
            }
            if (length > Integer.MAX_VALUE) {
                throw new IOException("index file " + file + " is larger than 2 GiB: " + length);
            }
            this.mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
        this.entries = created ? 0 : (int) (length / entrySize);
        this.maxEntries = (int) (length / entrySize);
    }

    /** Whether the file did not exist when this index was opened. */
    public final boolean createdFresh() {
        return createdFresh;
    }

    /** The file this index lives in. */
    public final Path file() {
        return file;
    }

    /** Renames the file atomically; the mapping keeps working. */
    public final void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    /** The segment's base offset: stored offsets are relative to it. */
    public final long baseOffset() {
        return baseOffset;
    }

    /** How many entries hold data. */
    public final int entries() {
        return entries;
    }

    public final int maxEntries() {
        return maxEntries;
    }

    /** Whether the next append would not fit. */
    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** The current mapping; readers take it once per lookup. */
    protected final MappedByteBuffer buffer() {
        return mmap;
    }

    /** The key of slot {@code slot} (relative offset or timestamp), for the binary search. */
    protected abstract long keyAt(MappedByteBuffer buffer, int slot);

    /** Checks the invariants an index file must meet on open; throws if it is unusable. */
    public abstract void sanityCheck() throws CorruptIndexException;

    /**
     * The slot of the largest key at most {@code target}, or -1 when every key is larger or the
     * index is empty. Searches the warm tail first, as Kafka does: lookups for recent data then
     * touch only the last few pages, which stay in memory.
     */
    protected final int largestLowerBoundSlot(MappedByteBuffer buffer, int count, long target) {
        if (count == 0) {
            return -1;
        }
        int warmEntries = WARM_BYTES / entrySize;
        int firstHot = Math.max(0, count - 1 - warmEntries);
        if (keyAt(buffer, firstHot) < target) {
            return binarySearch(buffer, target, firstHot, count - 1);
        }
        if (keyAt(buffer, 0) > target) {
            return -1;
        }
        return binarySearch(buffer, target, 0, firstHot);
    }

    private int binarySearch(MappedByteBuffer buffer, long target, int begin, int end) {
        int lo = begin;
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (keyAt(buffer, mid) > target) {
                hi = mid - 1;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    /** Marks one more slot as filled; the writer has written its bytes already. */
    protected final void publishEntry() {
        entries = entries + 1;
    }

    /**
     * Drops every entry by emptying the file, for an index being rebuilt that no reader holds yet
     * (a segment's recovery); {@link #resize} then gives it room again. Emptying lets the kernel
     * drop the pages: zeroing them instead would write the whole preallocated file of every index
     * found after a crash (10 MiB each by default, 200 GB at 10,000 partitions).
     */
    public final void reset() throws IOException {
        entries = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.truncate(0);
            mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, 0);
            maxEntries = 0;
        }
    }

    /**
     * Shrinks the file to its entries (on roll and close), or grows it back to the full
     * preallocated size when a segment becomes active again.
     */
    public final void resize(int newSize) throws IOException {
        long length = Math.max(roundDown(newSize), (long) entries * entrySize);
        if (length == mmap.capacity()) {
            return;
        }
        // No msync here: a roll trims the index on the append path, and the segment's flush
        // (off that path, as Kafka's) syncs the file's pages through the new mapping.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (length > channel.size()) {
                preallocate(channel, length);
            } else {
                channel.truncate(length);
            }
            MappedByteBuffer remapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            maxEntries = (int) (length / entrySize);
            mmap = remapped;
        }
    }

    /** Trims the file to the entries it holds. */
    public final void trimToValidSize() throws IOException {
        resize(entries * entrySize);
    }

    /** Writes dirty pages of the mapping to disk. */
    public final void flush() {
        mmap.force();
    }

    /** Writes the entries out and trims the file to them; the index is not used afterwards. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            flush();
            trimToValidSize();
        }
    }

    /** Closes without trimming: for a file that is about to be deleted or rebuilt. */
    public final void closeHandler() {
        closed = true;
    }

    private static void preallocate(FileChannel channel, long length) throws IOException {
        if (length > 0) {
            // Writing the last byte extends the file (sparse where the file system allows it).
            channel.write(java.nio.ByteBuffer.wrap(new byte[1]), length - 1);
        }
    }

    private long roundDown(long size) {
        return size - size % entrySize;
    }
}
