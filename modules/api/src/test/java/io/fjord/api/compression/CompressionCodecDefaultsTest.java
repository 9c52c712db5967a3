package io.fjord.api.compression;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The buffer conveniences of the codec contract, over a codec that copies bytes unchanged. */
class CompressionCodecDefaultsTest {

    private static final CompressionCodec COPY = new CompressionCodec() {
        @Override public String name() { return "copy"; }
        @Override public int id() { return 7; }
        @Override public OutputStream compressor(OutputStream sink) { return sink; }
        @Override public InputStream decompressor(InputStream source) { return source; }
    };

    @Test
    void buffersRoundTripWithoutMovingPositions() throws IOException {
        ByteBuffer in = ByteBuffer.wrap("hello fjord".getBytes(StandardCharsets.UTF_8));
        in.position(6);
        ByteBuffer compressed = COPY.compress(in);
        assertEquals(6, in.position());
        ByteBuffer out = COPY.decompress(compressed, 100);
        assertEquals(0, compressed.position());
        assertEquals("fjord", StandardCharsets.UTF_8.decode(out).toString());
    }

    @Test
    void directBuffersAreCompressedToo() throws IOException {
        ByteBuffer direct = ByteBuffer.allocateDirect(100_000);
        for (int i = 0; i < direct.capacity(); i++) {
            direct.put((byte) i);
        }
        direct.flip();
        assertEquals(direct, COPY.decompress(COPY.compress(direct), 100_000));
    }

    @Test
    void outputBeyondTheLimitIsCorruptData() {
        ByteBuffer in = ByteBuffer.wrap(new byte[20_000]);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> COPY.decompress(in, 19_999));
        assertTrue(e.getMessage().contains("more than 19999 bytes"), e.getMessage());
    }
}
