package io.fjord.compression;

import io.fjord.api.compression.CompressionCodec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Kafka's {@code gzip} (id 1): one gzip member (RFC 1952) per batch, written by the JDK's
 * deflater. Buffered as Kafka buffers it (an 8 KiB deflater buffer under a 16 KiB write buffer),
 * so both write the same bytes at the same level. Setting: {@code level}
 * ({@code compression.gzip.level}), 1 to 9 or -1 for the deflater's default.
 */
public final class GzipCodec implements CompressionCodec {

    private static final int DEFLATE_BUFFER_BYTES = 8 * 1024;
    private static final int WRITE_BUFFER_BYTES = 16 * 1024;
    private static final int INFLATE_BUFFER_BYTES = 8 * 1024;

    private volatile int level = Deflater.DEFAULT_COMPRESSION;

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public int id() {
        return GZIP;
    }

    @Override
    public void configure(Map<String, String> config) {
        level = CompressionLevel.parse(config, name(), Deflater.DEFAULT_COMPRESSION,
                Deflater.BEST_SPEED, Deflater.BEST_COMPRESSION, Deflater.DEFAULT_COMPRESSION);
    }

    @Override
    public OutputStream compressor(OutputStream sink) throws IOException {
        return new BufferedOutputStream(new LeveledGzipOutputStream(sink, level), WRITE_BUFFER_BYTES);
    }

    @Override
    public InputStream decompressor(InputStream compressed) throws IOException {
        SourceInputStream source = new SourceInputStream(compressed);
        InputStream gzip;
        try {
            // Reads and checks the member header now: an empty or foreign source fails here.
            gzip = new GZIPInputStream(source, INFLATE_BUFFER_BYTES);
        } catch (IOException | RuntimeException e) {
            compressed.close();
            throw CorruptionReportingInputStream.translate(name(), source, e);
        }
        return new CorruptionReportingInputStream(name(), gzip, source);
    }

    /** The JDK's gzip writer at a chosen deflate level (the JDK offers no such constructor). */
    private static final class LeveledGzipOutputStream extends GZIPOutputStream {

        LeveledGzipOutputStream(OutputStream sink, int level) throws IOException {
            super(sink, DEFLATE_BUFFER_BYTES);
            def.setLevel(level);
        }
    }
}
