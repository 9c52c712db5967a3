package io.fjord.log.index;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * <p>Invariants: an active segment's index may hold {@code maxIndexSize} bytes of entries (rounded
 * down to a whole entry; {@link #isFull} says when), but its file grows with them, from one page,
 * doubling, and is mapped anew at each growth; only slots {@code [0, entries)} hold data, the rest
 * are zeros. Kafka preallocates the whole file instead: on a recent kernel the first write to a
 * sparse mapping reads ahead and zeroes far more than the page written, and with thousands of
 * partitions appended to in turn that zeroing took a whole core. When the segment becomes inactive
 * or the log closes, the file is trimmed to {@code entries * entrySize}, so a cleanly closed index
 * file's length says how many entries it has. Keys never decrease from one slot to the next.
 *
 * <p>Concurrency: one writer (the partition's appender) and any number of lock-free readers.
 * The writer fills a slot with absolute puts and only then increments the volatile
 * {@link #entries}; a reader reads {@code entries} first, then takes the mapping, and touches
 * only slots below that count, so the volatile write/read pair orders the slot bytes (and a
 * mapping grown for them) before the reader sees them. A resize maps
 * a new buffer and publishes it through the volatile {@link #mmap} field; old mappings are not
 * force-unmapped (a reader may still hold one) and are released by the garbage collector. A
 * growth only extends the file, and a trim never shrinks it below {@code entries}, so no reader
 * touches bytes past the file's end.
 *
 * <p>No file descriptor is held: the file is opened only to size and map it (as Kafka's indexes
 * do), since a mapping outlives its channel. A broker with thousands of partitions would otherwise
 * keep two descriptors per segment open for its indexes alone.
 */
public abstract class AbstractIndex implements AutoCloseable {

    /** Kafka searches the last 8 KiB of an index first: the pages lookups for recent offsets touch. */
    private static final int WARM_BYTES = 8192;
    /** The file a new index starts with, and the room a resize leaves after the entries: one page. */
    private static final int GROWTH_BYTES = 4096;

    private volatile Path file;
    private final long baseOffset;
    private final int entrySize;
    private volatile MappedByteBuffer mmap;
    private boolean closed;
    private volatile int entries;
    private volatile int maxEntries;
    private final boolean createdFresh;

    /**
     * Opens or creates the index. A new one may grow to {@code maxIndexSize} and starts with one
     * page; an existing one is mapped at its current length, which is also its limit until a
     * {@link #resize}, and its entry count is taken from that length (the
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
            long limit;
            if (created) {
                limit = roundDown(maxIndexSize);
                length = Math.min(limit, roundDown(GROWTH_BYTES));
                channel.truncate(0);
                extend(channel, length);
            } else {
                length = channel.size();
                limit = length;
            }
            if (limit > Integer.MAX_VALUE) {
                throw new IOException("index file " + file + " is larger than 2 GiB: " + limit);
            }
            this.mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.maxEntries = (int) (limit / entrySize);
        }
        this.entries = created ? 0 : (int) (length / entrySize);
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

    /**
     * Grows the file, if needed, so that the next {@code more} appends (as many as the limit
     * allows) find room without growing it. The segment calls this before it writes a batch, so
     * that a file system that refuses the growth fails the append before anything is written.
     */
    public final void reserve(int more) throws IOException {
        long needed = Math.min((long) maxEntries, (long) entries + more) * entrySize;
        MappedByteBuffer buffer = mmap;
        if (needed > buffer.capacity()) {
            long limit = (long) maxEntries * entrySize;
            remap(Math.min(limit, roundDown(Math.max(2L * buffer.capacity(), needed))));
        }
    }

    /**
     * The mapping with room for slot {@link #entries}, grown (doubled, up to the limit) if it has
     * none; for the writer, which has checked {@link #isFull} first.
     */
    protected final MappedByteBuffer bufferForAppend() {
        try {
            reserve(1);
        } catch (IOException e) {
            throw new UncheckedIOException("could not grow index " + file, e);
        }
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
     * drop the pages: zeroing them instead would write every byte of each index file found untrimmed
     * after a crash (up to 10 MiB each by default, for two indexes per partition).
     */
    public final void reset() throws IOException {
        entries = 0;
        maxEntries = 0;
        remap(0);
    }

    /**
     * Sets how many bytes of entries the index may hold (never fewer than it holds): its entries
     * exactly when a segment rolls or closes, which trims the file to them, or {@code
     * maxIndexSize} when a segment becomes active again, which leaves a page of room after them.
     */
    public final void resize(int newSize) throws IOException {
        long used = (long) entries * entrySize;
        long limit = Math.max(roundDown(newSize), used);
        maxEntries = (int) (limit / entrySize);
        long length = Math.min(limit, roundDown(used + GROWTH_BYTES));
        if (length != mmap.capacity()) {
            remap(length);
        }
    }

    /** Sets the file's length and maps it whole. */
    private void remap(long length) throws IOException {
        // No msync here: a roll trims the index on the append path, and the segment's flush
        // (off that path, as Kafka's) syncs the file's pages through the new mapping.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (length > channel.size()) {
                extend(channel, length);
            } else {
                channel.truncate(length);
            }
            mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
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

    private static void extend(FileChannel channel, long length) throws IOException {
        if (length > 0) {
            // Writing the last byte extends the file (sparse where the file system allows it).
            channel.write(java.nio.ByteBuffer.wrap(new byte[1]), length - 1);
        }
    }

    private long roundDown(long size) {
        return size - size % entrySize;
    }
}
