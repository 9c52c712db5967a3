package io.fjord.compression;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.fjord.api.compression.CompressionCodec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Kafka's {@code zstd} (id 4): one zstd frame per batch, streamed through zstd-jni as Kafka does
 * (a 16 KiB write buffer over zstd-jni's stream, native buffers recycled). Setting: {@code level}
 * ({@code compression.zstd.level}), zstd's own range (negative levels are the fast ones), default 3.
 *
 * <p>The decoder keeps zstd's default window limit (2^27 bytes): a frame declaring a larger window
 * is rejected, a smaller one is allocated natively as declared, as in Kafka.
 */
public final class ZstdCodec implements CompressionCodec {

    private static final int WRITE_BUFFER_BYTES = 16 * 1024;

    private volatile int level = Zstd.defaultCompressionLevel();

    @Override
    public String name() {
        return "zstd";
    }

    @Override
    public int id() {
        return ZSTD;
    }

    @Override
    public void configure(Map<String, String> config) {
        level = CompressionLevel.parse(config, name(), Zstd.defaultCompressionLevel(),
                Zstd.minCompressionLevel(), Zstd.maxCompressionLevel(), Zstd.minCompressionLevel());
    }

    @Override
    public OutputStream compressor(OutputStream sink) throws IOException {
        return new BufferedOutputStream(
                new ZstdOutputStreamNoFinalizer(sink, RecyclingBufferPool.INSTANCE, level), WRITE_BUFFER_BYTES);
    }

    @Override
    public InputStream decompressor(InputStream compressed) throws IOException {
        SourceInputStream source = new SourceInputStream(compressed);
        InputStream zstd;
        try {
            zstd = new ZstdInputStreamNoFinalizer(source, RecyclingBufferPool.INSTANCE);
        } catch (IOException | RuntimeException e) {
            compressed.close();
            throw CorruptionReportingInputStream.translate(name(), source, e);
        }
        return new CorruptionReportingInputStream(name(), zstd, source);
    }
}
