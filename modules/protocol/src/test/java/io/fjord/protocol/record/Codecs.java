package io.fjord.protocol.record;

import io.fjord.api.compression.CompressionCodec;
import org.apache.kafka.common.compress.Compression;

import java.util.List;

/**
 * The built-in codecs of {@code io.fjord.compression}, paired with Kafka's. The test runs inside
 * {@code io.fjord.protocol}, which declares no {@code uses} (callers hand codecs in), so the
 * providers are instantiated by class name from the test class path instead of a ServiceLoader.
 */
final class Codecs {

    static final CompressionCodec GZIP = load("io.fjord.compression.GzipCodec");
    static final CompressionCodec LZ4 = load("io.fjord.compression.Lz4Codec");
    static final CompressionCodec ZSTD = load("io.fjord.compression.ZstdCodec");

    static final CodecRegistry ALL = CodecRegistry.of(GZIP, LZ4, ZSTD);

    private Codecs() {
    }

    /** Kafka's compression of the same id as {@code codec}; none for null. */
    static Compression kafka(CompressionCodec codec) {
        if (codec == null) {
            return Compression.NONE;
        }
        return switch (codec.id()) {
            case CompressionCodec.GZIP -> Compression.gzip().build();
            case CompressionCodec.LZ4 -> Compression.lz4().build();
            case CompressionCodec.ZSTD -> Compression.zstd().build();
            default -> throw new IllegalArgumentException("No Kafka compression for " + codec.name());
        };
    }

    /** Every codec reachable in tests, null standing for none. */
    static List<CompressionCodec> everyCodec() {
        return java.util.Arrays.asList(null, GZIP, LZ4, ZSTD);
    }

    private static CompressionCodec load(String className) {
        try {
            return (CompressionCodec) Class.forName(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The codec " + className + " is not on the test class path", e);
        }
    }
}
