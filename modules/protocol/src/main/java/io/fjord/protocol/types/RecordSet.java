package io.fjord.protocol.types;

import java.nio.ByteBuffer;

/**
 * The bytes of a {@code RECORDS} field that an encoder does not copy: the encoder writes the
 * length prefix from {@link #sizeInBytes()} and leaves the record set as a separate part of the
 * {@link EncodedMessage}, so a network layer can send it from wherever it lives (for example a log
 * segment file region, with sendfile).
 */
public interface RecordSet {

    /** The exact number of bytes this record set puts on the wire; fixed once encoded. */
    int sizeInBytes();

    /**
     * Copies the bytes into {@code destination} at its position, advancing it by {@link
     * #sizeInBytes()}. Used where one contiguous buffer is needed (small responses, tests).
     */
    void copyTo(ByteBuffer destination);
}
