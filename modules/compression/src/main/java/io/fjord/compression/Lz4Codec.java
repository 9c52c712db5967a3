package io.fjord.compression;

import io.fjord.api.compression.CompressionCodec;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * Kafka's {@code lz4} (id 3): one LZ4 frame per batch ({@link Lz4Frame}), written and read here
 * on top of lz4-java's block codec and XXHash32. Setting: {@code level}
 * ({@code compression.lz4.level}), 1 to 17, default 9; like Kafka, the default level uses the fast
 * compressor and every other level the high-compression one, so both write the same bytes.
 * Decompression always uses the safe decompressor, which bounds every read and write.
 */
public final class Lz4Codec implements CompressionCodec {

    static final int MIN_LEVEL = 1;
    static final int MAX_LEVEL = 17;
    static final int DEFAULT_LEVEL = 9;

    private volatile int level = DEFAULT_LEVEL;

    @Override
    public String name() {
        return "lz4";
    }

    @Override
    public int id() {
        return LZ4;
    }

    @Override
    public void configure(Map<String, String> config) {
        level = CompressionLevel.parse(config, name(), DEFAULT_LEVEL, MIN_LEVEL, MAX_LEVEL, MIN_LEVEL);
    }

    @Override
    public OutputStream compressor(OutputStream sink) throws IOException {
        return new Lz4FrameOutputStream(sink, compressorFor(level), XXHashFactory.fastestInstance().hash32());
    }

    @Override
    public InputStream decompressor(InputStream source) throws IOException {
        try {
            return new Lz4FrameInputStream(source, LZ4Factory.fastestInstance().safeDecompressor(),
                    XXHashFactory.fastestInstance());
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Factories and compressors are cached singletons or small stateless objects: cheap per stream. */
    private static LZ4Compressor compressorFor(int level) {
        LZ4Factory factory = LZ4Factory.fastestInstance();
        return level == DEFAULT_LEVEL ? factory.fastCompressor() : factory.highCompressor(level);
    }
}
