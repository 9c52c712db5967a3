package io.fjord.compression;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.api.compression.CorruptDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile input for the codecs that parse a frame (gzip, lz4, zstd): every failure is a
 * {@link CorruptDataException}, within a deadline, and never an {@link Error} or another exception.
 */
class CorruptInputTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static CompressionCodec codec(String name) {
        return KafkaInteropTest.fjord(name, null);
    }

    /** A frame of a few hundred record bytes, small enough to cut at every length. */
    private static byte[] smallFrame(CompressionCodec codec) throws IOException {
        return KafkaInteropTest.compress(codec, TestInputs.records(600, 7));
    }

    /** Decompresses everything, bounded at 4 MiB of output. */
    private static byte[] decompressAll(CompressionCodec codec, byte[] compressed) throws IOException {
        ByteBuffer out = codec.decompress(ByteBuffer.wrap(compressed), 4 * 1024 * 1024);
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static CorruptDataException assertCorrupt(CompressionCodec codec, byte[] compressed) {
        return assertTimeoutPreemptively(DEADLINE,
                () -> assertThrows(CorruptDataException.class, () -> decompressAll(codec, compressed)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd"})
    void everyTruncationIsCorrupt(String name) throws IOException {
        CompressionCodec codec = codec(name);
        byte[] frame = smallFrame(codec);
        for (int length = 0; length < frame.length; length++) {
            assertCorrupt(codec, Arrays.copyOf(frame, length));
        }
        assertArrayEquals(TestInputs.records(600, 7), decompressAll(codec, frame));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd"})
    void truncatedMultiBlockFramesAreCorrupt(String name) throws IOException {
        CompressionCodec codec = codec(name);
        byte[] frame = KafkaInteropTest.compress(codec, TestInputs.random(200 * 1024, 3));
        Random random = new Random(11);
        for (int i = 0; i < 40; i++) {
            assertCorrupt(codec, Arrays.copyOf(frame, random.nextInt(frame.length)));
        }
    }

    /**
     * Flipped bytes either go unnoticed (lz4 and zstd frames as Kafka writes them carry no
     * checksum over their content) or end in {@link CorruptDataException}: nothing else.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd"})
    void randomByteFlipsAreCorruptOrHarmless(String name) throws IOException {
        CompressionCodec codec = codec(name);
        byte[] frame = smallFrame(codec);
        Random random = new Random(42);
        int corrupt = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = frame.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
            }
            boolean failed = assertTimeoutPreemptively(DEADLINE, () -> {
                try {
                    decompressAll(codec, damaged);
                    return false;
                } catch (CorruptDataException e) {
                    return true;
                } catch (Throwable t) {
                    return fail("expected CorruptDataException or success, got " + t, t);
                }
            });
            corrupt += failed ? 1 : 0;
        }
        assertTrue(corrupt > 0, "some damage must be detected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd"})
    void garbageIsCorrupt(String name) {
        CompressionCodec codec = codec(name);
        Random random = new Random(5);
        for (int length : new int[] {1, 3, 4, 7, 16, 100, 4096, 70_000}) {
            byte[] garbage = new byte[length];
            random.nextBytes(garbage);
            assertCorrupt(codec, garbage);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd"})
    void badMagicIsCorrupt(String name) throws IOException {
        CompressionCodec codec = codec(name);
        byte[] frame = smallFrame(codec);
        frame[0] ^= 0x55;
        assertCorrupt(codec, frame);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd"})
    void emptyInputIsCorrupt(String name) {
        String message = assertCorrupt(codec(name), new byte[0]).getMessage();
        assertTrue(message.toLowerCase(java.util.Locale.ROOT).contains(name), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "lz4", "zstd"})
    void outputBeyondTheCallersLimitIsCorrupt(String name) throws IOException {
        CompressionCodec codec = codec(name);
        byte[] frame = KafkaInteropTest.compress(codec, TestInputs.records(10_000, 1));
        assertThrows(CorruptDataException.class, () -> codec.decompress(ByteBuffer.wrap(frame), 9_999));
        codec.decompress(ByteBuffer.wrap(frame), 10_000);
    }

    /** A failing source is not corrupt data: its own exception reaches the caller unchanged. */
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "lz4", "zstd"})
    void sourceFailuresPassThrough(String name) throws IOException {
        CompressionCodec codec = codec(name);
        byte[] frame = KafkaInteropTest.compress(codec, TestInputs.random(100_000, 9));
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

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = data.read(b, off, len);
                if (n < 0) {
                    throw diskError;
                }
                return n;
            }
        };
        IOException thrown = assertThrows(IOException.class, () -> {
            try (InputStream in = codec.decompressor(failing)) {
                KafkaOracle.readAll(in);
            }
        });
        assertSame(diskError, thrown);
    }

    @Test
    void lz4BlockClaimingTwoGigabytesIsCorrupt() {
        CompressionCodec codec = codec("lz4");
        for (int size : new int[] {Integer.MAX_VALUE, -1, 64 * 1024 + 1, (64 * 1024 + 1) | 0x80000000}) {
            byte[] frame = Lz4Frames.frame(Lz4Frames.DEFAULT_FLG, Lz4Frames.BD_64KB,
                    Lz4Frames.intLE(size), new byte[100]);
            CorruptDataException e = assertCorrupt(codec, frame);
            assertTrue(e.getMessage().contains("maximum block size"), e.getMessage());
        }
    }

    @Test
    void lz4BlockClaimingMoreThanTheFrameHoldsIsCorrupt() {
        byte[] frame = Lz4Frames.frame(Lz4Frames.DEFAULT_FLG, Lz4Frames.BD_64KB,
                Lz4Frames.intLE(60_000), new byte[100]);
        CorruptDataException e = assertCorrupt(codec("lz4"), frame);
        assertTrue(e.getMessage().contains("Truncated"), e.getMessage());
    }

    @Test
    void zstdFailuresKeepTheLibrarysCause() throws IOException {
        CompressionCodec codec = codec("zstd");
        byte[] frame = smallFrame(codec);
        CorruptDataException e = assertCorrupt(codec, Arrays.copyOf(frame, frame.length - 1));
        assertTrue(e.getMessage().startsWith("Corrupt zstd data"), e.getMessage());
        assertTrue(e.getCause().getClass().getName().startsWith("com.github.luben.zstd."), e.getCause().toString());
    }
}
