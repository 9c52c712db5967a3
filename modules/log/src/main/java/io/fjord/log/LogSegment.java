package io.fjord.log;

import io.fjord.api.TimestampType;
import io.fjord.log.index.AbstractIndex;
import io.fjord.log.index.CorruptIndexException;
import io.fjord.log.index.OffsetIndex;
import io.fjord.log.index.OffsetPosition;
import io.fjord.log.index.TimeIndex;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.Consumer;

/**
 * One segment of a partition log: the {@code .log} file of record batches starting at
 * {@link #baseOffset()} and its {@code .index} and {@code .timeindex} files, all named by the
 * base offset in 20 digits.
 *
 * <p>Invariants: the {@code .log} file holds whole v2 batches back to back, exactly as Kafka
 * stores them, with strictly increasing offsets, all at least {@code baseOffset} and at most
 * {@code baseOffset + Integer.MAX_VALUE} (so the indexes can store them relative). Bytes below
 * {@link #size()} are complete, validated batches; only the partition's writer appends, and it
 * publishes the new size after the bytes and index entries are written.
 *
 * <p>Readers never lock: they read {@link #size} (volatile) and touch only bytes below it, with
 * positional reads that do not move the channel's position. The writer appends with positional
 * writes at the old size, so the two never share mutable state besides the volatile fields.
 * Every walk over the batches (read, timestamp search, replay, recovery) is a
 * {@link FileBatchCursor} bounded by the size it read (by the file's length in recovery). A
 * segment object that truncation retires keeps its size while its file is cut shorter: its
 * walks end early at the cut, they never read other bytes (see {@link LogTruncation}).
 */
final class LogSegment implements AutoCloseable {

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";
    /** The files of a segment the cleaner is still writing. */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** The files of a cleaned segment that is complete and replaces the segments it covers. */
    static final String SWAP_SUFFIX = ".swap";

    private final long baseOffset;
    private final int indexIntervalBytes;
    private final long createdMs;
    private volatile Path logFile;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;

    private volatile int size;
    private volatile long maxTimestampSoFar = -1L;
    private volatile long offsetOfMaxTimestampSoFar;
    /** The max timestamp of the first batch, Kafka's basis for segment.ms; -1 until known. */
    private long rollingBasedTimestamp = -1L;
    private int bytesSinceLastIndexEntry;

    private LogSegment(Path dir, long baseOffset, LogConfig config, long createdMs, String suffix) throws IOException {
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.createdMs = createdMs;
        this.logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + suffix);
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        OffsetIndex oi = null;
        TimeIndex ti = null;
        try {
            oi = new OffsetIndex(dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + suffix), baseOffset,
                    config.segmentIndexBytes());
            ti = new TimeIndex(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + suffix), baseOffset,
                    config.segmentIndexBytes());
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (oi != null) {
                oi.closeHandler();
            }
            throw e;
        }
        this.offsetIndex = oi;
        this.timeIndex = ti;
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    /** Creates a new, empty segment. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        for (String suffix : new String[] {LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix)));
        }
        return new LogSegment(dir, baseOffset, config, nowMs, "");
    }

    /** Creates the empty {@code .cleaned} segment the cleaner writes a group of segments into. */
    static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config, long nowMs) throws IOException {
        for (String suffix : new String[] {LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
            Files.deleteIfExists(dir.resolve(fileName(baseOffset, suffix) + CLEANED_SUFFIX));
        }
        return new LogSegment(dir, baseOffset, config, nowMs, CLEANED_SUFFIX);
    }

    /**
     * Opens an existing segment without validating its batches; the size is the file's length.
     * Missing or unusable index files are left for {@link #loadCleanState()} to report.
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config) throws IOException {
        Path log = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        long modified = Files.getLastModifiedTime(log).toMillis();
        LogSegment segment = new LogSegment(dir, baseOffset, config, modified, "");
        long length = segment.channel.size();
        if (length > Integer.MAX_VALUE) {
            segment.close();
            throw new IOException("segment " + log + " is larger than 2 GiB");
        }
        segment.size = (int) length;
        return segment;
    }

    /** {@code 00000000000000000042.log} style names: the base offset in 20 digits. */
    static String fileName(long baseOffset, String suffix) {
        return String.format("%020d", baseOffset) + suffix;
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes of whole, published batches. */
    int size() {
        return size;
    }

    /** The max timestamp of the first batch (Kafka's basis for segment.ms and max.compaction.lag.ms); -1 if unknown. */
    long firstBatchTimestamp() {
        return rollingBasedTimestamp;
    }

    long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    /**
     * The timestamp retention compares with: the largest record timestamp, or the file's
     * modification time when no batch carried one (Kafka's rule).
     */
    long largestTimestamp() throws IOException {
        long max = maxTimestampSoFar;
        return max >= 0 ? max : Files.getLastModifiedTime(logFile).toMillis();
    }

    /**
     * Kafka's roll test: the append of {@code appendBytes} ending at {@code lastOffset} does not
     * fit, the segment is older than {@code segment.ms}, an index is full, or the offset no longer
     * fits a relative int.
     */
    boolean shouldRoll(LogConfig config, int appendBytes, long appendMaxTimestamp, long lastOffset, long nowMs) {
        boolean reachedRollMs = size > 0 && timeWaitedForRoll(nowMs, appendMaxTimestamp) > config.segmentMs();
        return size > config.segmentBytes() - appendBytes
                || reachedRollMs
                || offsetIndex.isFull()
                || timeIndex.isFull()
                || !offsetIndex.canAppendOffset(lastOffset);
    }

    private long timeWaitedForRoll(long nowMs, long appendMaxTimestamp) {
        return rollingBasedTimestamp >= 0 ? appendMaxTimestamp - rollingBasedTimestamp : nowMs - createdMs;
    }

    /**
     * Appends {@code records} (whole batches with offsets already assigned) at the end of the
     * file, then adds index entries and publishes the new size. On an I/O error the file is cut
     * back to its old size and nothing is published.
     *
     * @param batches views of the batches in {@code records}, in order
     */
    void append(ByteBuffer records, List<RecordBatchView> batches) throws IOException {
        // Room for the index entries these batches may add, before any byte is written: a file
        // system that refuses the indexes' growth then fails the append with nothing to undo.
        int newEntries = (int) Math.min(batches.size(), 1L + records.remaining() / Math.max(1, indexIntervalBytes));
        offsetIndex.reserve(newEntries);
        timeIndex.reserve(newEntries);
        int start = size;
        ByteBuffer bytes = records.duplicate();
        long position = start;
        try {
            while (bytes.hasRemaining()) {
                position += channel.write(bytes, position);
            }
        } catch (IOException | RuntimeException e) {
            channel.truncate(start);
            throw e;
        }
        int batchPosition = start;
        for (RecordBatchView batch : batches) {
            trackBatch(batch, batchPosition);
            batchPosition += batch.sizeInBytes();
        }
        size = batchPosition;
    }

    /** Updates max timestamp and the sparse indexes for a batch written at {@code position}. */
    private void trackBatch(RecordBatchView batch, int position) {
        long batchMax = batch.maxTimestamp();
        if (rollingBasedTimestamp < 0 && position == 0) {
            rollingBasedTimestamp = batchMax;
        }
        if (batchMax > maxTimestampSoFar) {
            offsetOfMaxTimestampSoFar = batch.lastOffset();
            maxTimestampSoFar = batchMax;
        }
        // A full index only happens in recovery of a segment written under a larger
        // segment.index.bytes; skipping entries leaves it sparser, never wrong.
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull() && !timeIndex.isFull()) {
            offsetIndex.append(batch.lastOffset(), position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /**
     * The slice of whole batches starting with the batch that holds {@code startOffset}, at most
     * {@code maxBytes} long unless the first batch alone is larger (then just that batch, when
     * {@code minOneBatch}), and holding no batch whose last offset reaches {@code maxOffset}.
     *
     * @return null if no batch of this segment has a last offset at or above {@code startOffset}
     */
    FileSlice read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        int limit = size;
        FileBatchCursor batches = new FileBatchCursor(channel, offsetIndex.lookup(startOffset).position(), limit);
        // Find the batch holding startOffset: the first whose last offset reaches it.
        do {
            if (!batches.next()) {
                return null;
            }
        } while (batches.lastOffset() < startOffset);
        int start = batches.position();
        long firstOffset = batches.baseOffset();
        long nextOffset = startOffset;
        // Batches up to the last index entry within the byte limit fit for sure: jump over them
        // instead of reading each header. The entry's batch itself is checked by the loop.
        OffsetPosition jump = offsetIndex.lookupByPosition(Math.min((long) start + maxBytes, limit));
        if (jump != null && jump.position() > start && jump.offset() < maxOffset && batches.moveTo(jump.position())) {
            nextOffset = batches.baseOffset();
        }
        int end = batches.position();
        do {
            if (batches.lastOffset() >= maxOffset) {
                break;
            }
            boolean first = batches.position() == start;
            if ((long) batches.position() - start + batches.sizeInBytes() > maxBytes && !(first && minOneBatch)) {
                break;
            }
            end = batches.nextPosition();
            nextOffset = batches.lastOffset() + 1;
        } while (batches.next());
        if (end == start) {
            return FileSlice.empty(startOffset);
        }
        return new FileSlice(channel, start, end - start, firstOffset, nextOffset);
    }

    /**
     * The first record at or after {@code startingOffset} whose timestamp is at least
     * {@code timestamp}, found through the time index, a header scan and, inside an uncompressed
     * batch of create-time records, a walk over its records. A compressed batch is answered at
     * batch granularity (its first offset and max timestamp): the log does not decompress.
     *
     * @return the record found, or null if none in this segment
     */
    TimestampOffset findOffsetByTimestamp(long timestamp, long startingOffset) throws IOException {
        TimestampOffset entry = timeIndex.lookup(timestamp);
        long from = Math.max(entry.offset(), startingOffset);
        FileBatchCursor batches = new FileBatchCursor(channel, offsetIndex.lookup(from).position(), size);
        while (batches.next()) {
            if (batches.maxTimestamp() >= timestamp && batches.lastOffset() >= startingOffset) {
                RecordBatchView batch = batches.readBatch();
                return batch == null ? null : findInBatch(batch, timestamp, startingOffset);
            }
        }
        return null;
    }

    private static TimestampOffset findInBatch(RecordBatchView batch, long timestamp, long startingOffset) {
        if (batch.isCompressed() || batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
            return new TimestampOffset(batch.maxTimestamp(), Math.max(batch.baseOffset(), startingOffset));
        }
        RecordCursor records = batch.records();
        while (records.next()) {
            if (records.timestamp() >= timestamp && records.offset() >= startingOffset) {
                return new TimestampOffset(records.timestamp(), records.offset());
            }
        }
        return null;
    }

    /**
     * Re-validates every batch from the start of the file (framing, magic, CRC, record count,
     * offsets increasing and fitting this segment), rebuilds both indexes, and cuts the file at
     * the first byte that is not part of a valid batch.
     *
     * @return the number of bytes cut off
     */
    int recover(int maxIndexSize) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
        maxTimestampSoFar = -1L;
        offsetOfMaxTimestampSoFar = baseOffset;
        rollingBasedTimestamp = -1L;
        bytesSinceLastIndexEntry = 0;
        long fileSize = channel.size();
        FileBatchCursor batches = new FileBatchCursor(channel, 0, (int) Math.min(fileSize, Integer.MAX_VALUE));
        int validEnd = 0;
        long nextExpected = baseOffset;
        while (batches.next()) {
            RecordBatchView batch;
            try {
                batch = batches.readBatch();
                if (batch == null) {
                    break;
                }
                batch.ensureValid();
            } catch (ProtocolException e) {
                break;
            }
            if (batch.baseOffset() < nextExpected || !offsetIndex.canAppendOffset(batch.lastOffset())) {
                break;
            }
            trackBatch(batch, batches.position());
            nextExpected = batch.lastOffset() + 1;
            validEnd = batches.nextPosition();
        }
        int truncated = (int) (fileSize - validEnd);
        if (truncated > 0) {
            channel.truncate(validEnd);
        }
        size = validEnd;
        return truncated;
    }

    /**
     * Loads state a cleanly closed segment keeps in its indexes (largest timestamp) and in its
     * first batch (the roll timestamp), and checks the indexes.
     *
     * @return false if an index is missing entries or broken and must be rebuilt by {@link #recover}
     */
    boolean loadCleanState() throws IOException {
        try {
            offsetIndex.sanityCheck();
            timeIndex.sanityCheck();
        } catch (CorruptIndexException e) {
            return false;
        }
        if (offsetIndex.entries() > 0 && offsetIndex.lastEntry().position() >= size) {
            return false;
        }
        if (size > 0 && (offsetIndex.createdFresh() || timeIndex.createdFresh())) {
            // The index file was missing: its entries are gone, not merely sparse.
            return false;
        }
        if (timeIndex.entries() > 0) {
            TimestampOffset last = timeIndex.lastEntry();
            maxTimestampSoFar = last.timestamp();
            offsetOfMaxTimestampSoFar = last.offset();
        }
        ByteBuffer header = ByteBuffer.allocate(RecordBatchView.MAX_TIMESTAMP_OFFSET + 8);
        if (size >= RecordBatchView.HEADER_SIZE && FileBatchCursor.readFully(channel, header, 0)) {
            rollingBasedTimestamp = header.getLong(RecordBatchView.MAX_TIMESTAMP_OFFSET);
        }
        bytesSinceLastIndexEntry = 0;
        return true;
    }

    /** The offset after the last batch, read from the last batch's header; {@code baseOffset} if empty. */
    long readNextOffset() throws IOException {
        FileBatchCursor batches = new FileBatchCursor(channel, offsetIndex.lastEntry().position(), size);
        long next = baseOffset;
        while (batches.next()) {
            next = batches.lastOffset() + 1;
        }
        return next;
    }

    /**
     * Visits every batch from the one holding {@code fromOffset} on, in order (producer-state
     * and leader-epoch rebuild after load). The batches were validated when written or recovered.
     * A view is good only during its visit: the next batch is read into the same buffer.
     */
    void forEachBatchFrom(long fromOffset, Consumer<RecordBatchView> onBatch) throws IOException {
        FileBatchCursor batches = new FileBatchCursor(channel, offsetIndex.lookup(fromOffset).position(), size);
        while (batches.next()) {
            if (batches.lastOffset() >= fromOffset) {
                RecordBatchView batch = batches.readBatch();
                if (batch == null) {
                    return;
                }
                onBatch.accept(batch);
            }
        }
    }

    /**
     * Cuts the {@code .log} file to {@code position} and fsyncs it. This object keeps its old
     * size and index mappings, so a reader still holding it reads the file ending early there.
     */
    void truncateLogFile(int position) throws IOException {
        channel.truncate(position);
        channel.force(true);
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    /** Called when a newer segment becomes active: final time-index entry, indexes trimmed. */
    void onBecomeInactive() throws IOException {
        if (maxTimestampSoFar >= 0) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Grows the index files back to their preallocated size (for the active segment after load). */
    void resizeIndexes(int maxIndexSize) throws IOException {
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
    }

    /** fsyncs the log file and both indexes. */
    void flush() throws IOException {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
    }

    /** Renames all three files with the {@code .deleted} suffix; open channels keep working. */
    void renameToDeleted() throws IOException {
        changeFileSuffixes("", DELETED_SUFFIX);
    }

    /**
     * Renames the three files from {@code oldSuffix} to {@code newSuffix} (the cleaner's
     * {@code .cleaned -> .swap -> ""}), the log file first; open channels keep working. A file
     * already renamed, or missing, is left as it is.
     */
    void changeFileSuffixes(String oldSuffix, String newSuffix) throws IOException {
        Path log = logFile;
        if (log.getFileName().toString().endsWith(LOG_SUFFIX + oldSuffix)) {
            Path renamed = log.resolveSibling(withSuffix(log, oldSuffix, newSuffix));
            Files.move(log, renamed, StandardCopyOption.ATOMIC_MOVE);
            logFile = renamed;
        }
        for (AbstractIndex index : new AbstractIndex[] {offsetIndex, timeIndex}) {
            Path file = index.file();
            if (file.getFileName().toString().endsWith(oldSuffix) && Files.exists(file)) {
                index.renameTo(file.resolveSibling(withSuffix(file, oldSuffix, newSuffix)));
            }
        }
    }

    private static String withSuffix(Path file, String oldSuffix, String newSuffix) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - oldSuffix.length()) + newSuffix;
    }

    /** The current path of the {@code .log} file. */
    Path logFile() {
        return logFile;
    }

    long lastModified() throws IOException {
        return Files.getLastModifiedTime(logFile).toMillis();
    }

    void setLastModified(long ms) throws IOException {
        Files.setLastModifiedTime(logFile, FileTime.fromMillis(ms));
    }

    /** A walk over every published batch, from the start of the file. */
    FileBatchCursor batches() {
        return new FileBatchCursor(channel, 0, size);
    }

    /** The bytes the two index files take once trimmed, for the cleaner's grouping. */
    long indexSizeInBytes() {
        return offsetIndex.entries() * 8L + timeIndex.entries() * 12L;
    }

    /** A walk over the batches from byte {@code start} up to byte {@code limit}. */
    FileBatchCursor batches(int start, int limit) {
        return new FileBatchCursor(channel, start, limit);
    }

    /** Closes the files and keeps them: another segment object now stands for them. */
    void closeHandles() throws IOException {
        channel.close();
        offsetIndex.closeHandler();
        timeIndex.closeHandler();
    }

    /** Closes the files and deletes them, whatever their current names. */
    void closeAndDelete() throws IOException {
        channel.close();
        offsetIndex.closeHandler();
        timeIndex.closeHandler();
        Files.deleteIfExists(logFile);
        for (AbstractIndex index : new AbstractIndex[] {offsetIndex, timeIndex}) {
            Files.deleteIfExists(index.file());
        }
    }

    /** Writes the final time-index entry, trims the indexes and closes all three files. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        if (maxTimestampSoFar >= 0 && timeIndex.entries() < timeIndex.maxEntries()) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        }
        offsetIndex.close();
        timeIndex.close();
        channel.close();
    }

    /** Kafka's error for a write the storage refused. */
    static LogException storageError(String what, IOException e) {
        return new LogException(Errors.KAFKA_STORAGE_ERROR, what + ": " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + size + ")";
    }
}
