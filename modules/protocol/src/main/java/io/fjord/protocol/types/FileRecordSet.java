package io.fjord.protocol.types;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A {@link RecordSet} that is a slice of a file: {@link #sizeInBytes()} bytes of {@link
 * #channel()} starting at {@link #position()}, typically record batches of a log segment. A
 * network layer sends it straight from the page cache to the socket (sendfile) instead of copying.
 *
 * <p>Ownership: the channel belongs to whoever created the record set (the log); it must stay
 * open, and the slice's bytes unchanged, until the message carrying it has been written. Senders
 * never close the channel.
 */
public interface FileRecordSet extends RecordSet {

    /** The file holding the bytes; never closed by a reader of this record set. */
    FileChannel channel();

    /** The file offset of the first byte. */
    long position();

    /**
     * Copies the slice with positional reads, which leave the channel's own position alone. A
     * file shorter than the slice is a {@link Errors#CORRUPT_MESSAGE}.
     */
    @Override
    default void copyTo(ByteBuffer destination) {
        ByteBuffer target = destination.slice(destination.position(), sizeInBytes());
        long filePosition = position();
        try {
            while (target.hasRemaining()) {
                int read = channel().read(target, filePosition);
                if (read < 0) {
                    throw new ProtocolException(Errors.CORRUPT_MESSAGE, "file ends " + target.remaining()
                            + " bytes before the end of a record set of " + sizeInBytes() + " bytes");
                }
                filePosition += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        destination.position(destination.position() + sizeInBytes());
    }
}
