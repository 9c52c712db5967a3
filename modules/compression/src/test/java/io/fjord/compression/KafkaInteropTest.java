package io.fjord.compression;

import io.fjord.api.compression.CompressionCodec;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every built-in codec against Kafka's codec of the same name: what Fjord compresses Kafka
 * decompresses, what Kafka compresses Fjord decompresses, and at equal levels both write the same
 * bytes (they share the underlying libraries and buffering).
 */
class KafkaInteropTest {

    /** Codec name and level (null: the default, configured with nothing). */
    private static final Object[][] CODEC_LEVELS = {
        {"none", null},
        {"gzip", null}, {"gzip", 1}, {"gzip", 9},
        {"lz4", null}, {"lz4", 1}, {"lz4", 17},
        {"zstd", null}, {"zstd", -5}, {"zstd", 1}, {"zstd", 12},
    };

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Object[] codecLevel : CODEC_LEVELS) {
            for (int size : TestInputs.SIZES) {
                for (String kind : new String[] {"records", "random"}) {
                    cases.add(Arguments.of(codecLevel[0], codecLevel[1], kind, size));
                }
            }
        }
        return cases.stream();
    }

    static CompressionCodec fjord(String name, Integer level) {
        CompressionCodec codec;
        switch (name) {
            case "none":
                codec = new NoCompressionCodec();
                break;
            case "gzip":
                codec = new GzipCodec();
                break;
            case "lz4":
                codec = new Lz4Codec();
                break;
            case "zstd":
                codec = new ZstdCodec();
                break;
            default:
                throw new IllegalArgumentException(name);
        }
        codec.configure(level == null ? Map.of() : Map.of("level", level.toString()));
        return codec;
    }

    static byte[] input(String kind, int size) {
        return kind.equals("records") ? TestInputs.records(size, size) : TestInputs.random(size, size);
    }

    static byte[] compress(CompressionCodec codec, byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = codec.compressor(out)) {
            c.write(input);
        }
        return out.toByteArray();
    }

    static byte[] decompress(CompressionCodec codec, byte[] compressed) throws IOException {
        try (InputStream in = codec.decompressor(ByteBuffer.wrap(compressed))) {
            return KafkaOracle.readAll(in);
        }
    }

    @ParameterizedTest(name = "{0} level {1}, {2} {3} bytes")
    @MethodSource("cases")
    void kafkaReadsWhatFjordWrites(String name, Integer level, String kind, int size) throws IOException {
        byte[] input = input(kind, size);
        byte[] compressed = compress(fjord(name, level), input);
        assertArrayEquals(input, KafkaOracle.decompress(KafkaOracle.codec(name, level), compressed));
    }

    @ParameterizedTest(name = "{0} level {1}, {2} {3} bytes")
    @MethodSource("cases")
    void fjordReadsWhatKafkaWrites(String name, Integer level, String kind, int size) throws IOException {
        byte[] input = input(kind, size);
        byte[] compressed = KafkaOracle.compress(KafkaOracle.codec(name, level), input);
        CompressionCodec codec = fjord(name, level);
        assertArrayEquals(input, decompress(codec, compressed));
        assertEquals(ByteBuffer.wrap(input), codec.decompress(ByteBuffer.wrap(compressed), size));
    }

    @ParameterizedTest(name = "{0} level {1}, {2} {3} bytes")
    @MethodSource("cases")
    void writesTheSameBytesAsKafka(String name, Integer level, String kind, int size) throws IOException {
        byte[] input = input(kind, size);
        Compression kafka = KafkaOracle.codec(name, level);
        assertArrayEquals(KafkaOracle.compress(kafka, input), compress(fjord(name, level), input));
    }

    @ParameterizedTest(name = "{0} level {1}, {2} {3} bytes")
    @MethodSource("cases")
    void byteAtATimeStreamsRoundTrip(String name, Integer level, String kind, int size) throws IOException {
        if (size > 64 * 1024 + 1) {
            return;
        }
        byte[] input = input(kind, size);
        CompressionCodec codec = fjord(name, level);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = codec.compressor(out)) {
            for (byte b : input) {
                c.write(b);
            }
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream in = codec.decompressor(new java.io.ByteArrayInputStream(out.toByteArray()))) {
            int b;
            while ((b = in.read()) != -1) {
                back.write(b);
            }
        }
        assertArrayEquals(input, back.toByteArray());
    }
}
