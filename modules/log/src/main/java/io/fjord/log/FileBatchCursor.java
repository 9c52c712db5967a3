package io.fjord.log;

import io.fjord.protocol.record.RecordBatchView;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A walk over the record batches of a segment file from a start position up to a limit, reading
 * only their fixed headers until the caller asks for a whole batch. Every walk of
 * {@link LogSegment} goes through it: reads, timestamp search, the scan for the next offset,
 * replay of producer state and leader epochs, and recovery.
 *
 * <p>Framing rule: a batch at position {@code p} is whole when its header fits below the limit,
 * and its size ({@code batchLength + 12}, the only field trusted before validation) is at least a
 * header and ends at or below the limit. The walk ends at the first batch that is not whole: a
 * torn write at the tail (part of a header, part of a batch, the zeros of a preallocated file) or
 * a size field pointing before a header or past the limit. Nothing past that point is read, and
 * no buffer is larger than the bytes present.
 *
 * <p>Concurrency: reads are positional and never pass the limit, which a reader takes from the
 * segment's published size, so a cursor needs no lock against the writer. A cursor belongs to
 * one thread.
 */
final class FileBatchCursor {

    private final FileChannel channel;
    private final int limit;
    private final ByteBuffer header = ByteBuffer.allocate(RecordBatchView.HEADER_SIZE);
    private ByteBuffer batchBuffer;
    private int nextPosition;

    // The current batch, set when next() or moveTo() returns true.
    private int position;
    private int sizeInBytes;
    private long baseOffset;
    private long lastOffset;
    private long maxTimestamp;

    /**
     * @param start where the first batch starts
     * @param limit the end of the bytes the walk may read
     */
    FileBatchCursor(FileChannel channel, int start, int limit) {
        this.channel = channel;
        this.limit = limit;
        this.nextPosition = start;
    }

    /**
     * Moves to the batch after the current one (the first: the batch at the start).
     *
     * @return false at the end of whole batches; the cursor then stays where it was
     */
    boolean next() throws IOException {
        return moveTo(nextPosition);
    }

    /**
     * Moves to the batch at {@code batchPosition}, if a whole one starts there.
     *
     * @return false if none does; the cursor then stays where it was
     */
    boolean moveTo(int batchPosition) throws IOException {
        if ((long) batchPosition + RecordBatchView.HEADER_SIZE > limit) {
            return false;
        }
        header.clear();
        if (!readFully(channel, header, batchPosition)) {
            return false;
        }
        long size = (long) header.getInt(RecordBatchView.BATCH_LENGTH_OFFSET) + RecordBatchView.LOG_OVERHEAD;
        if (size < RecordBatchView.HEADER_SIZE || batchPosition + size > limit) {
            return false;
        }
        position = batchPosition;
        sizeInBytes = (int) size;
        baseOffset = header.getLong(RecordBatchView.BASE_OFFSET_OFFSET);
        lastOffset = baseOffset + header.getInt(RecordBatchView.LAST_OFFSET_DELTA_OFFSET);
        maxTimestamp = header.getLong(RecordBatchView.MAX_TIMESTAMP_OFFSET);
        nextPosition = batchPosition + sizeInBytes;
        return true;
    }

    /** Where the current batch starts. */
    int position() {
        return position;
    }

    int sizeInBytes() {
        return sizeInBytes;
    }

    /**
     * Where the current batch ends and the next one would start; before the first batch, the
     * start. Once {@link #next()} returned false, the end of the whole batches walked.
     */
    int nextPosition() {
        return nextPosition;
    }

    long baseOffset() {
        return baseOffset;
    }

    long lastOffset() {
        return lastOffset;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /**
     * Reads the whole current batch into a buffer the cursor reuses, so the view is good until the
     * next call. Like {@link RecordBatchView#wrap}, checks only the size and magic; the caller
     * validates what it does not trust.
     *
     * @return null if the file ended before the batch did
     */
    RecordBatchView readBatch() throws IOException {
        if (batchBuffer == null || batchBuffer.capacity() < sizeInBytes) {
            batchBuffer = ByteBuffer.allocate(sizeInBytes);
        }
        batchBuffer.clear().limit(sizeInBytes);
        if (!readFully(channel, batchBuffer, position)) {
            return null;
        }
        return RecordBatchView.wrap(batchBuffer.flip());
    }

    /** Fills {@code buffer} from {@code position} on; false if the file ends first. */
    static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                return false;
            }
        }
        return true;
    }
}
