package io.fjord.plugin.snappy;

import io.fjord.api.compression.CorruptDataException;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyError;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads snappy data the way Kafka's Java client accepts it (through snappy-java's
 * {@code SnappyInputStream}):
 *
 * <pre>
 * stream = header chunk*        (Kafka's Java producer: snappy-java's framing)
 *        | rawBlock             (no magic: one raw snappy block, as librdkafka writes)
 * header = magic:byte[8](0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00) version:int32BE compatibleVersion:int32BE
 * chunk  = length:int32BE rawBlock:byte[length]
 *        | header               (concatenated streams repeat the header)
 * rawBlock = uncompressedLength:varint elements
 * </pre>
 *
 * The framing has no end mark, so a stream cut exactly between chunks reads as a shorter stream;
 * every other truncation, a bad header, a negative length and a chunk that does not decompress to
 * its declared length throw {@link CorruptDataException}, never snappy-java's {@link SnappyError}.
 *
 * <p>Memory: buffers grow with the compressed bytes actually read; a chunk's declared uncompressed
 * length is checked against what its compressed bytes can expand to (snappy's largest expansion
 * is a 3-byte copy element producing 64 bytes) before anything is allocated for it. Owns
 * {@code source}, which {@link #close()} closes.
 */
final class XerialSnappyInputStream extends InputStream {

    static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    static final int HEADER_SIZE = 16;
    /** The first four magic bytes read as a chunk length: a repeated header follows. */
    static final int MAGIC_HEAD = 0x82534E41;
    static final int MIN_COMPATIBLE_VERSION = 1;

    /** Snappy output per compressed byte stays below 22 (64 bytes from a 3-byte copy). */
    private static final int MAX_EXPANSION = 22;
    private static final int MIN_BUFFER = 1024;

    private final InputStream source;
    private final byte[] scratch = new byte[HEADER_SIZE];
    private byte[] compressed = new byte[0];
    private byte[] uncompressed = new byte[0];
    private int position;
    private int limit;
    /** No more chunks to read: the source is exhausted, or the stream was one raw block. */
    private boolean finished;

    XerialSnappyInputStream(InputStream source) throws IOException {
        this.source = source;
        int n = readUpTo(scratch, 0, HEADER_SIZE);
        if (n == 0) {
            throw new CorruptDataException("Empty snappy input: no compressed data");
        }
        if (n < HEADER_SIZE || !Arrays.equals(scratch, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            readRawBlock(n);
        } else {
            checkVersion(scratch);
        }
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !nextChunk()) {
            return -1;
        }
        return uncompressed[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == limit && !nextChunk()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(uncompressed, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && (position < limit || nextChunk())) {
            int k = (int) Math.min(n - skipped, limit - position);
            position += k;
            skipped += k;
        }
        return skipped;
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public void close() throws IOException {
        finished = true;
        position = limit;
        source.close();
    }

    /** The whole source is one raw snappy block, of which {@code scratch[0, read)} already arrived. */
    private void readRawBlock(int read) throws IOException {
        compressed = Arrays.copyOf(scratch, Math.max(MIN_BUFFER, read));
        int length = read;
        while (true) {
            if (length == compressed.length) {
                compressed = Arrays.copyOf(compressed, growth(compressed.length, Integer.MAX_VALUE - 8));
            }
            int n = source.read(compressed, length, compressed.length - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        decompress(length);
        finished = true;
    }

    /** Loads the next non-empty chunk; false at the end of the source. */
    private boolean nextChunk() throws IOException {
        while (!finished) {
            int n = readUpTo(scratch, 0, 4);
            if (n == 0) {
                finished = true;
                return false;
            }
            if (n < 4) {
                throw new CorruptDataException("Truncated snappy stream: chunk length incomplete");
            }
            int length = intBE(scratch, 0);
            if (length == MAGIC_HEAD) {
                readFully(scratch, 4, HEADER_SIZE - 4, "repeated header");
                if (!Arrays.equals(scratch, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                    throw new CorruptDataException("Bad snappy stream header in a concatenated stream");
                }
                checkVersion(scratch);
                continue;
            }
            if (length <= 0) {
                throw new CorruptDataException("Bad snappy chunk length " + length);
            }
            readChunk(length);
            decompress(length);
            if (limit > 0) {
                return true;
            }
        }
        return false;
    }

    /** Decompresses {@code compressed[0, length)}, one raw snappy block, into {@code uncompressed}. */
    private void decompress(int length) throws CorruptDataException {
        try {
            int declared = Snappy.uncompressedLength(compressed, 0, length);
            if (declared < 0 || declared > (long) length * MAX_EXPANSION) {
                throw new CorruptDataException("Snappy block of " + length + " bytes claims "
                        + Integer.toUnsignedString(declared) + " uncompressed bytes");
            }
            if (uncompressed.length < declared) {
                uncompressed = new byte[Math.max(declared, MIN_BUFFER)];
            }
            int actual = Snappy.uncompress(compressed, 0, length, uncompressed, 0);
            if (actual != declared) {
                throw new CorruptDataException("Snappy block decompressed to " + actual
                        + " bytes, declared " + declared);
            }
            position = 0;
            limit = actual;
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException | RuntimeException | SnappyError e) {
            throw new CorruptDataException("Corrupt snappy block: " + e.getMessage(), e);
        }
    }

    private static void checkVersion(byte[] header) throws CorruptDataException {
        int compatibleVersion = intBE(header, 12);
        if (compatibleVersion < MIN_COMPATIBLE_VERSION) {
            throw new CorruptDataException("Unsupported snappy stream version " + compatibleVersion);
        }
    }

    /** Reads a chunk's {@code length} bytes into {@code compressed}, growing it only as bytes arrive. */
    private void readChunk(int length) throws IOException {
        int read = 0;
        while (read < length) {
            if (read == compressed.length) {
                compressed = Arrays.copyOf(compressed, growth(compressed.length, length));
            }
            int n = source.read(compressed, read, Math.min(length, compressed.length) - read);
            if (n < 0) {
                throw new CorruptDataException("Truncated snappy stream: chunk of " + length
                        + " bytes ends after " + read);
            }
            read += n;
        }
    }

    private static int growth(int current, int cap) {
        return (int) Math.min(cap, Math.max(MIN_BUFFER, 2L * current));
    }

    private void readFully(byte[] b, int off, int len, String what) throws IOException {
        if (readUpTo(b, off, len) < len) {
            throw new CorruptDataException("Truncated snappy stream: " + what + " incomplete");
        }
    }

    /** Reads until {@code len} bytes or the end of the source; returns how many arrived. */
    private int readUpTo(byte[] b, int off, int len) throws IOException {
        int read = 0;
        while (read < len) {
            int n = source.read(b, off + read, len - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return read;
    }

    private static int intBE(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
