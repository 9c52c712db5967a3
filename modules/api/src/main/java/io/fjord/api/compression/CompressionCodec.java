package io.fjord.api.compression;

import io.fjord.api.Plugin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A compression codec for record batches, byte-compatible with the Kafka codec of the same
 * {@link #id()}: what one compresses, the other decompresses.
 *
 * <p>Kafka compresses the records section of a batch as one stream; the codec is chosen by the
 * low three bits of the batch attributes, which are {@link #id()}. Kafka's ids are
 * {@value #NONE} none, {@value #GZIP} gzip, {@value #SNAPPY} snappy, {@value #LZ4} lz4 and
 * {@value #ZSTD} zstd; a codec with another id (5 to 7) is readable only by Fjord.
 *
 * <p>Configuration comes from Kafka's keys with the prefix removed: {@code compression.zstd.level=6}
 * reaches the zstd codec as {@code level=6}.
 *
 * <p>Contract:
 * <ul>
 *   <li>Thread-safe once configured: each call to {@link #compressor} or {@link #decompressor}
 *       returns a new stream owned by its caller, who closes it.</li>
 *   <li>Malformed, truncated or hostile input makes the decompressing stream throw
 *       {@link CorruptDataException} (or an {@link IOException} of the source); never a hang, an
 *       {@link Error}, or an allocation sized by a length claimed in the input.</li>
 *   <li>Closing a compressor finishes the compressed frame and closes the sink.</li>
 * </ul>
 */
public interface CompressionCodec extends Plugin {

    int NONE = 0;
    int GZIP = 1;
    int SNAPPY = 2;
    int LZ4 = 3;
    int ZSTD = 4;

    /** The codec id in record-batch attributes, 0 to 7. */
    int id();

    /**
     * A stream that compresses what is written to it into {@code sink}. Closing it writes the
     * end of the compressed frame and closes {@code sink}.
     */
    OutputStream compressor(OutputStream sink) throws IOException;

    /**
     * A stream of the bytes decompressed from {@code source}, read lazily. Closing it closes
     * {@code source} and releases native resources.
     */
    InputStream decompressor(InputStream source) throws IOException;

    /**
     * A stream of the bytes decompressed from the remaining bytes of {@code compressed}. The
     * buffer's position is not moved. Codecs override this when they can read a buffer without
     * copying it into a stream.
     */
    default InputStream decompressor(ByteBuffer compressed) throws IOException {
        return decompressor(new ByteBufferInputStream(compressed.duplicate()));
    }

    /** Compresses the remaining bytes of {@code input} (its position is not moved) into a new buffer. */
    default ByteBuffer compress(ByteBuffer input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, input.remaining() / 2));
        try (OutputStream c = compressor(out)) {
            ByteBuffer in = input.duplicate();
            if (in.hasArray()) {
                c.write(in.array(), in.arrayOffset() + in.position(), in.remaining());
            } else {
                byte[] chunk = new byte[Math.min(in.remaining(), 64 * 1024)];
                while (in.hasRemaining()) {
                    int n = Math.min(chunk.length, in.remaining());
                    in.get(chunk, 0, n);
                    c.write(chunk, 0, n);
                }
            }
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    /**
     * Decompresses the remaining bytes of {@code compressed} (its position is not moved) into a
     * new buffer of at most {@code maxDecompressedBytes}.
     *
     * @throws CorruptDataException if the input is malformed or decompresses to more than
     *     {@code maxDecompressedBytes}
     */
    default ByteBuffer decompress(ByteBuffer compressed, int maxDecompressedBytes) throws IOException {
        if (maxDecompressedBytes < 0) {
            throw new IllegalArgumentException("maxDecompressedBytes must not be negative");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                Math.min(maxDecompressedBytes, Math.max(64, compressed.remaining() * 2)));
        byte[] chunk = new byte[8192];
        try (InputStream in = decompressor(compressed)) {
            int n;
            while ((n = in.read(chunk)) != -1) {
                if (out.size() + n > maxDecompressedBytes) {
                    throw new CorruptDataException(name() + " input decompresses to more than "
                            + maxDecompressedBytes + " bytes");
                }
                out.write(chunk, 0, n);
            }
        }
        return ByteBuffer.wrap(out.toByteArray());
    }
}
