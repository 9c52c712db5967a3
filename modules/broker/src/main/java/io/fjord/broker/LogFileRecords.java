package io.fjord.broker;

import io.fjord.log.FileSlice;
import io.fjord.protocol.types.FileRecordSet;

import java.nio.channels.FileChannel;

/**
 * A log's {@link FileSlice} as the {@code records} of a Fetch response: the network layer sends
 * it with sendfile, straight from the page cache.
 *
 * <p>Ownership: the segment's channel belongs to the log, which keeps it open for {@code
 * file.delete.delay.ms} after the segment is deleted; that is how long the response may take.
 */
record LogFileRecords(FileSlice slice) implements FileRecordSet {

    @Override
    public FileChannel channel() {
        return slice.channel();
    }

    @Override
    public long position() {
        return slice.position();
    }

    @Override
    public int sizeInBytes() {
        return slice.length();
    }
}
