package io.fjord.plugin.snappy;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.api.compression.CorruptDataException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The snappy plugin against Kafka's {@code Compression.snappy()}, and on hostile input. */
class SnappyCodecTest {

    private static final int[] SIZES = {0, 1, 16 * 1024, 32 * 1024 + 1, 64 * 1024 + 1, 1024 * 1024};
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final CompressionCodec snappy = new SnappyCodec();
    private final Compression kafka = Compression.snappy().build();

    static Stream<Arguments> inputs() {
        List<Arguments> cases = new ArrayList<>();
        for (int size : SIZES) {
            cases.add(Arguments.of("records", size));
            cases.add(Arguments.of("random", size));
        }
        return cases.stream();
    }

    static byte[] input(String kind, int size) {
        return kind.equals("records") ? records(size, size) : random(size, size);
    }

    /** JSON-like records with repeated field names, ids, timestamps and a little random text. */
    static byte[] records(int size, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder(size + 128);
        for (long id = 0; text.length() < size; id++) {
            text.append("{\"id\":").append(id)
                    .append(",\"user\":\"user-").append(random.nextInt(5000))
                    .append("\",\"ts\":").append(1_700_000_000_000L + id * 17 + random.nextInt(9))
                    .append(",\"note\":\"").append((char) ('a' + random.nextInt(26)))
                    .append(Integer.toString(random.nextInt(), 36)).append("\"}\n");
        }
        return Arrays.copyOf(text.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private byte[] compress(byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = snappy.compressor(out)) {
            c.write(input);
        }
        return out.toByteArray();
    }

    private byte[] decompress(byte[] compressed) throws IOException {
        ByteBuffer out = snappy.decompress(ByteBuffer.wrap(compressed), 4 * 1024 * 1024);
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private byte[] kafkaCompress(byte[] input) throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream(64);
        try (OutputStream c = kafka.wrapForOutput(out, RecordBatch.CURRENT_MAGIC_VALUE)) {
            c.write(input);
        }
        ByteBuffer written = out.buffer().flip();
        return Arrays.copyOfRange(written.array(), written.arrayOffset(), written.arrayOffset() + written.limit());
    }

    private byte[] kafkaDecompress(byte[] compressed) throws IOException {
        try (InputStream in = kafka.wrapForInput(ByteBuffer.wrap(compressed),
                RecordBatch.CURRENT_MAGIC_VALUE, BufferSupplier.NO_CACHING)) {
            return in.readAllBytes();
        }
    }

    private CorruptDataException assertCorrupt(byte[] compressed) {
        return assertTimeoutPreemptively(DEADLINE,
                () -> assertThrows(CorruptDataException.class, () -> decompress(compressed)));
    }

    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("inputs")
    void kafkaReadsWhatFjordWrites(String kind, int size) throws IOException {
        byte[] input = input(kind, size);
        assertArrayEquals(input, kafkaDecompress(compress(input)));
    }

    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("inputs")
    void fjordReadsWhatKafkaWrites(String kind, int size) throws IOException {
        byte[] input = input(kind, size);
        assertArrayEquals(input, decompress(kafkaCompress(input)));
    }

    @ParameterizedTest(name = "{0} {1} bytes")
    @MethodSource("inputs")
    void writesTheSameBytesAsKafka(String kind, int size) throws IOException {
        byte[] input = input(kind, size);
        assertArrayEquals(kafkaCompress(input), compress(input));
    }

    @Test
    void byteAtATimeRoundTrip() throws IOException {
        byte[] input = records(70_000, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = snappy.compressor(out)) {
            for (byte b : input) {
                c.write(b);
            }
        }
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream in = snappy.decompressor(new ByteArrayInputStream(out.toByteArray()))) {
            for (int b = in.read(); b != -1; b = in.read()) {
                back.write(b);
            }
        }
        assertArrayEquals(input, back.toByteArray());
    }

    /** librdkafka sends one raw snappy block without snappy-java's framing; Kafka reads it, so do we. */
    @Test
    void readsARawSnappyBlockAsKafkaDoes() throws IOException {
        byte[] input = records(100_000, 5);
        byte[] raw = Snappy.compress(input);
        assertArrayEquals(input, kafkaDecompress(raw));
        assertArrayEquals(input, decompress(raw));
    }

    @Test
    void readsConcatenatedStreams() throws IOException {
        byte[] first = records(40_000, 1);
        byte[] second = random(1_000, 2);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(compress(first));
        both.writeBytes(compress(second));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(first);
        expected.writeBytes(second);
        assertArrayEquals(expected.toByteArray(), kafkaDecompress(both.toByteArray()));
        assertArrayEquals(expected.toByteArray(), decompress(both.toByteArray()));
    }

    /**
     * Snappy-java's framing has no end mark: cut right after the header, a stream reads as empty.
     * Every other cut of a one-chunk stream is corrupt.
     */
    @Test
    void everyTruncationIsCorruptExceptTheBareHeader() throws IOException {
        byte[] input = records(600, 7);
        byte[] frame = compress(input);
        for (int length = 0; length < frame.length; length++) {
            byte[] cut = Arrays.copyOf(frame, length);
            if (length == XerialSnappyInputStream.HEADER_SIZE) {
                assertArrayEquals(new byte[0], decompress(cut));
            } else {
                assertCorrupt(cut);
            }
        }
        assertArrayEquals(input, decompress(frame));
    }

    @Test
    void randomByteFlipsAreCorruptOrHarmless() throws IOException {
        byte[] frame = compress(records(600, 7));
        Random random = new Random(42);
        int corrupt = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = frame.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
            }
            corrupt += assertTimeoutPreemptively(DEADLINE, () -> {
                try {
                    decompress(damaged);
                    return 0;
                } catch (CorruptDataException e) {
                    return 1;
                } catch (Throwable t) {
                    return fail("expected CorruptDataException or success, got " + t, t);
                }
            });
        }
        assertTrue(corrupt > 0, "some damage must be detected");
    }

    @Test
    void garbageIsCorrupt() {
        Random random = new Random(5);
        for (int length : new int[] {1, 3, 4, 7, 16, 100, 4096, 70_000}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            assertCorrupt(garbage);
        }
        assertCorrupt(new byte[0]);
    }

    @Test
    void hugeOrNegativeChunkLengthsAreCorrupt() throws IOException {
        byte[] header = Arrays.copyOf(compress(new byte[0]), XerialSnappyInputStream.HEADER_SIZE);
        for (int length : new int[] {Integer.MAX_VALUE, -1, 0, Integer.MIN_VALUE, 1 << 30}) {
            ByteBuffer frame = ByteBuffer.allocate(header.length + 4 + 100);
            frame.put(header).putInt(length).put(new byte[100]);
            assertCorrupt(frame.array());
        }
    }

    /** A chunk of five bytes whose length varint claims 1 GiB is refused before any allocation. */
    @Test
    void chunkClaimingMoreThanItCanHoldIsCorrupt() throws IOException {
        byte[] header = Arrays.copyOf(compress(new byte[0]), XerialSnappyInputStream.HEADER_SIZE);
        byte[] chunk = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04};
        ByteBuffer frame = ByteBuffer.allocate(header.length + 4 + chunk.length);
        frame.put(header).putInt(chunk.length).put(chunk);
        CorruptDataException e = assertCorrupt(frame.array());
        assertTrue(e.getMessage().contains("claims"), e.getMessage());
        assertTrue(assertCorrupt(chunk).getMessage().contains("claims"));
    }

    @Test
    void badStreamVersionIsCorrupt() throws IOException {
        byte[] frame = compress(records(100, 1));
        frame[15] = 0;   // compatible version 0
        assertCorrupt(frame);
    }

    @Test
    void sourceFailuresPassThrough() throws IOException {
        byte[] frame = compress(random(100_000, 9));
        IOException diskError = new IOException("disk read failed");
        InputStream failing = new InputStream() {
            private final InputStream data = new ByteArrayInputStream(frame, 0, frame.length / 2);

            @Override
            public int read() throws IOException {
                int b = data.read();
                if (b < 0) {
                    throw diskError;
                }
                return b;
            }
        };
        IOException thrown = assertThrows(IOException.class, () -> {
            try (InputStream in = snappy.decompressor(failing)) {
                in.readAllBytes();
            }
        });
        assertSame(diskError, thrown);
    }

    @Test
    void outputBeyondTheCallersLimitIsCorrupt() throws IOException {
        byte[] frame = compress(records(10_000, 1));
        assertThrows(CorruptDataException.class, () -> snappy.decompress(ByteBuffer.wrap(frame), 9_999));
        assertEquals(10_000, snappy.decompress(ByteBuffer.wrap(frame), 10_000).remaining());
    }
}
