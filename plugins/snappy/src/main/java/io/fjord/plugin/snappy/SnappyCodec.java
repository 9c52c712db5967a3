package io.fjord.plugin.snappy;

import io.fjord.api.compression.CompressionCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.xerial.snappy.SnappyOutputStream;

/**
 * Kafka's {@code snappy} (id 2). Writes what Kafka writes: snappy-java's {@link SnappyOutputStream}
 * framing (a 16-byte header, then 32 KiB blocks as length-prefixed raw snappy chunks). Reads that
 * framing, and a bare raw snappy block as other clients write it, with
 * {@link XerialSnappyInputStream}, which bounds every allocation by the bytes present.
 * Snappy has no levels: configuration is ignored.
 */
public final class SnappyCodec implements CompressionCodec {

    @Override
    public String name() {
        return "snappy";
    }

    @Override
    public int id() {
        return SNAPPY;
    }

    /** Closing it writes the last block and closes {@code sink}. */
    @Override
    public OutputStream compressor(OutputStream sink) {
        return new SnappyOutputStream(sink);
    }

    @Override
    public InputStream decompressor(InputStream source) throws IOException {
        try {
            return new XerialSnappyInputStream(source);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }
}
