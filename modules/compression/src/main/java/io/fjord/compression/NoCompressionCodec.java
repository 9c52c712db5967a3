package io.fjord.compression;

import io.fjord.api.compression.CompressionCodec;

import java.io.InputStream;
import java.io.OutputStream;

/** Kafka's {@code none} (id 0): records are stored as they are. Streams pass bytes through. */
public final class NoCompressionCodec implements CompressionCodec {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public int id() {
        return NONE;
    }

    /** Returns {@code sink} itself: closing it closes the sink, as the contract asks. */
    @Override
    public OutputStream compressor(OutputStream sink) {
        return sink;
    }

    /** Returns {@code source} itself. */
    @Override
    public InputStream decompressor(InputStream source) {
        return source;
    }
}
