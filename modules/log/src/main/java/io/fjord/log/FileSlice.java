package io.fjord.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A run of whole record batches inside a segment file, ready to be sent with
 * {@link FileChannel#transferTo} (sendfile) without copying the bytes into the heap.
 *
 * <p>Ownership: the channel belongs to the log. It stays open at least until
 * {@code file.delete.delay.ms} after the segment was removed from the log, which is how long a
 * reader may take to send a slice; the holder never closes it.
 *
 * @param channel the segment's {@code .log} file
 * @param position the byte where the first batch starts
 * @param length the bytes of whole batches from there; 0 for an empty read
 * @param firstOffset the base offset of the first batch (-1 for an empty read)
 * @param nextOffset the offset after the last batch in the slice
 */
public record FileSlice(FileChannel channel, long position, int length, long firstOffset, long nextOffset) {

    /** A read that found nothing to return at {@code offset}. */
    public static FileSlice empty(long offset) {
        return new FileSlice(null, 0, 0, -1, offset);
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** Copies the slice into a new heap buffer (for tests and small reads; fetch uses {@link #transferTo}). */
    public ByteBuffer readAll() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("segment file ended inside a slice at " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }

    /** Sends the whole slice to {@code target}, from the page cache where the OS allows it. */
    public void transferTo(WritableByteChannel target) throws IOException {
        long sent = 0;
        while (sent < length) {
            long n = channel.transferTo(position + sent, length - sent, target);
            if (n <= 0) {
                throw new IOException("could not send slice bytes at " + (position + sent));
            }
            sent += n;
        }
    }
}
