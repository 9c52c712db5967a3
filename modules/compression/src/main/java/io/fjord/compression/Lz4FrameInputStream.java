package io.fjord.compression;

import io.fjord.api.compression.CorruptDataException;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads one LZ4 frame (see {@link Lz4Frame}) with the safe block decompressor. Accepts what
 * Kafka's reader accepts: independent blocks of a 64 KiB to 4 MiB maximum, optional content size,
 * and block and content checksums, which are verified. Anything else (bad magic, version,
 * reserved bits, dictionary ids, linked blocks, a bad header or block checksum, a block larger
 * than the frame's maximum, a truncated frame) throws {@link CorruptDataException}.
 *
 * <p>Memory: the header is read before anything is allocated; a block's buffers grow with the
 * bytes actually read (compressed) and with what those bytes can expand to (LZ4 expands at most
 * 255-fold), never beyond the frame's maximum block size. The decompression buffer of a closed
 * stream is reused by the next stream its thread opens.
 *
 * <p>Ownership: a stream source is owned, and {@link #close()} closes it. A buffer source is read
 * in place through the caller's buffer (heap buffers are not copied, stored blocks are served from
 * them), so its bytes must stay unchanged until this stream is closed; only the position of the
 * buffer handed in moves, so callers pass a duplicate.
 */
final class Lz4FrameInputStream extends InputStream {

    /** LZ4 writes at most 255 output bytes per input byte (a run of 255-valued length bytes). */
    private static final int MAX_EXPANSION = 255;
    private static final int MIN_BUFFER = 1024;
    private static final byte[] EMPTY = new byte[0];

    /**
     * One decompression buffer per thread, handed from a closed stream to the next one the thread
     * opens (Kafka's reader keeps one per thread too), so steady-state decompression allocates
     * nothing. Only buffers up to Kafka's 64 KiB block size are kept.
     */
    private static final ThreadLocal<byte[]> SPARE_BUFFER = new ThreadLocal<>();
    private static final int MAX_SPARE_BUFFER = 64 * 1024;

    /** Exactly one of {@code source} and {@code buffer} is set. */
    private final InputStream source;
    private final ByteBuffer buffer;
    private final LZ4SafeDecompressor decompressor;
    private final XXHash32 hash;
    private final StreamingXXHash32 contentHash;
    private final boolean blockChecksum;
    private final int maxBlockSize;
    private final byte[] scratch = new byte[8];

    private byte[] compressed = EMPTY;
    /** Owned by this stream until {@link #close()} hands it back to the thread's spare. */
    private byte[] decompressed;
    /** The current block's compressed bytes: {@code compressed}, or the buffer's backing array. */
    private byte[] blockArray;
    private int blockOffset;
    /** The bytes being served, {@code [position, limit)}: {@code decompressed}, or {@code blockArray}. */
    private byte[] current = EMPTY;
    private int position;
    private int limit;
    private boolean finished;

    Lz4FrameInputStream(InputStream source, LZ4SafeDecompressor decompressor, XXHashFactory hashes)
            throws IOException {
        this(Objects.requireNonNull(source), null, decompressor, hashes);
    }

    Lz4FrameInputStream(ByteBuffer buffer, LZ4SafeDecompressor decompressor, XXHashFactory hashes)
            throws IOException {
        this(null, Objects.requireNonNull(buffer), decompressor, hashes);
    }

    private Lz4FrameInputStream(InputStream source, ByteBuffer buffer, LZ4SafeDecompressor decompressor,
                                XXHashFactory hashes) throws IOException {
        this.source = source;
        this.buffer = buffer;
        this.decompressor = decompressor;
        this.hash = hashes.hash32();

        byte[] header = new byte[15];
        readFully(header, 0, 7, "frame header");
        int magic = intLE(header, 0);
        if (magic != Lz4Frame.MAGIC) {
            throw new CorruptDataException(String.format("Bad LZ4 frame magic 0x%08x, expected 0x%08x",
                    magic, Lz4Frame.MAGIC));
        }
        int flg = header[4] & 0xFF;
        int bd = header[5] & 0xFF;
        int version = flg >>> Lz4Frame.FLG_VERSION_SHIFT;
        if (version != Lz4Frame.VERSION) {
            throw new CorruptDataException("Unsupported LZ4 frame version " + version);
        }
        if ((flg & Lz4Frame.FLG_RESERVED) != 0 || (bd & Lz4Frame.BD_RESERVED) != 0) {
            throw new CorruptDataException(String.format(
                    "LZ4 frame descriptor has reserved bits set (FLG 0x%02x, BD 0x%02x)", flg, bd));
        }
        if ((flg & Lz4Frame.FLG_DICTIONARY_ID) != 0) {
            throw new CorruptDataException("LZ4 frames with a dictionary id are not supported");
        }
        if ((flg & Lz4Frame.FLG_BLOCK_INDEPENDENCE) == 0) {
            throw new CorruptDataException("LZ4 frames with linked blocks are not supported");
        }
        int sizeId = (bd >>> Lz4Frame.BD_SIZE_SHIFT) & Lz4Frame.BD_SIZE_MASK;
        if (sizeId < Lz4Frame.BLOCK_SIZE_ID_MIN) {
            throw new CorruptDataException("Bad LZ4 maximum block size id " + sizeId);
        }
        int descriptorEnd = 6;
        if ((flg & Lz4Frame.FLG_CONTENT_SIZE) != 0) {
            // The content size is only informative: the stream ends at the end mark.
            readFully(header, 7, 8, "frame header");
            descriptorEnd = 14;
        }
        int expected = Lz4Frame.headerChecksum(hash, header, 4, descriptorEnd - 4);
        int actual = header[descriptorEnd] & 0xFF;
        if (actual != expected) {
            throw new CorruptDataException(String.format(
                    "Bad LZ4 frame header checksum 0x%02x, expected 0x%02x", actual, expected));
        }
        this.maxBlockSize = Lz4Frame.maxBlockSize(sizeId);
        this.blockChecksum = (flg & Lz4Frame.FLG_BLOCK_CHECKSUM) != 0;
        this.contentHash = (flg & Lz4Frame.FLG_CONTENT_CHECKSUM) != 0 ? hashes.newStreamingHash32(0) : null;

        byte[] spare = SPARE_BUFFER.get();
        if (spare != null) {
            SPARE_BUFFER.remove();
            decompressed = spare;
        } else {
            decompressed = EMPTY;
        }
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !nextBlock()) {
            return -1;
        }
        return current[position++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position == limit && !nextBlock()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && (position < limit || nextBlock())) {
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
        position = limit = 0;
        current = EMPTY;
        if (decompressed.length > 0 && decompressed.length <= MAX_SPARE_BUFFER) {
            SPARE_BUFFER.set(decompressed);
        }
        decompressed = EMPTY;
        if (source != null) {
            source.close();
        }
    }

    /** Loads the next block; false at the end mark. */
    private boolean nextBlock() throws IOException {
        if (finished) {
            return false;
        }
        do {
            readFully(scratch, 0, 4, "block size (no end mark)");
            int size = intLE(scratch, 0);
            if (size == 0) {
                endFrame();
                return false;
            }
            boolean stored = (size & Lz4Frame.UNCOMPRESSED_FLAG) != 0;
            int length = size & ~Lz4Frame.UNCOMPRESSED_FLAG;
            if (length > maxBlockSize) {
                throw new CorruptDataException("LZ4 block claims " + length
                        + " bytes, more than the frame's maximum block size " + maxBlockSize);
            }
            readBlock(length);
            if (blockChecksum) {
                readFully(scratch, 0, 4, "block checksum");
                int expected = hash.hash(blockArray, blockOffset, length, 0);
                if (intLE(scratch, 0) != expected) {
                    throw new CorruptDataException("Bad LZ4 block checksum");
                }
            }
            if (stored) {
                current = blockArray;
                position = blockOffset;
                limit = blockOffset + length;
            } else {
                limit = decompress(length);
                current = decompressed;
                position = 0;
            }
            if (contentHash != null) {
                contentHash.update(current, position, limit - position);
            }
        } while (limit == position);
        return true;
    }

    /** Decompresses the current block into {@code decompressed}; returns the decompressed length. */
    private int decompress(int length) throws CorruptDataException {
        int bound = (int) Math.min(maxBlockSize, (long) length * MAX_EXPANSION);
        if (decompressed.length < bound) {
            decompressed = new byte[Math.max(bound, MIN_BUFFER)];
        }
        try {
            return decompressor.decompress(blockArray, blockOffset, length, decompressed, 0, bound);
        } catch (LZ4Exception e) {
            throw new CorruptDataException("Corrupt LZ4 block: " + e.getMessage(), e);
        }
    }

    /**
     * Makes a block's {@code length} bytes available at {@code blockArray[blockOffset]}: in place
     * for a heap buffer, else copied into {@code compressed}, which grows only as bytes arrive.
     */
    private void readBlock(int length) throws IOException {
        if (buffer != null) {
            if (buffer.remaining() < length) {
                throw new CorruptDataException("Truncated LZ4 frame: block of " + length
                        + " bytes, only " + buffer.remaining() + " left");
            }
            if (buffer.hasArray()) {
                blockArray = buffer.array();
                blockOffset = buffer.arrayOffset() + buffer.position();
                buffer.position(buffer.position() + length);
            } else {
                if (compressed.length < length) {
                    compressed = new byte[Math.max(length, MIN_BUFFER)];
                }
                buffer.get(compressed, 0, length);
                blockArray = compressed;
                blockOffset = 0;
            }
            return;
        }
        blockArray = compressed;
        blockOffset = 0;
        int read = 0;
        while (read < length) {
            if (read == compressed.length) {
                // Grow to what the source says it holds (exact for buffers), else geometrically.
                long wanted = Math.max(read + (long) source.available(), Math.max(MIN_BUFFER, 2L * compressed.length));
                compressed = Arrays.copyOf(compressed, (int) Math.min(length, wanted));
            }
            int n = source.read(compressed, read, Math.min(length, compressed.length) - read);
            if (n < 0) {
                throw new CorruptDataException("Truncated LZ4 frame: block of " + length
                        + " bytes ends after " + read);
            }
            read += n;
        }
        blockArray = compressed;
    }

    private void endFrame() throws IOException {
        finished = true;
        position = limit = 0;
        if (contentHash != null) {
            readFully(scratch, 0, 4, "content checksum");
            if (intLE(scratch, 0) != contentHash.getValue()) {
                throw new CorruptDataException("Bad LZ4 content checksum");
            }
        }
    }

    private void readFully(byte[] b, int off, int len, String what) throws IOException {
        if (buffer != null) {
            if (buffer.remaining() < len) {
                throw new CorruptDataException("Truncated LZ4 frame: " + what + " incomplete");
            }
            buffer.get(b, off, len);
            return;
        }
        int read = 0;
        while (read < len) {
            int n = source.read(b, off + read, len - read);
            if (n < 0) {
                throw new CorruptDataException("Truncated LZ4 frame: " + what + " incomplete");
            }
            read += n;
        }
    }

    private static int intLE(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
