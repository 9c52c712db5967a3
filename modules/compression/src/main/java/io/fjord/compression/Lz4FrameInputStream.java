package io.fjord.compression;

import io.fjord.api.compression.CorruptDataException;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

import java.io.IOException;
import java.io.InputStream;
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
 * 255-fold), never beyond the frame's maximum block size. Owns {@code source}, which
 * {@link #close()} closes.
 */
final class Lz4FrameInputStream extends InputStream {

    /** LZ4 writes at most 255 output bytes per input byte (a run of 255-valued length bytes). */
    private static final int MAX_EXPANSION = 255;
    private static final int MIN_BUFFER = 1024;

    private final InputStream source;
    private final LZ4SafeDecompressor decompressor;
    private final XXHash32 hash;
    private final StreamingXXHash32 contentHash;
    private final boolean blockChecksum;
    private final int maxBlockSize;
    private final byte[] scratch = new byte[8];

    private byte[] compressed = new byte[0];
    private byte[] decompressed = new byte[0];
    /** The bytes being served: {@code decompressed}, or {@code compressed} for a stored block. */
    private byte[] current = decompressed;
    private int decompressedLength;
    private int position;
    private int limit;
    private boolean finished;

    Lz4FrameInputStream(InputStream source, LZ4SafeDecompressor decompressor, XXHashFactory hashes)
            throws IOException {
        this.source = source;
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
        position = limit;
        source.close();
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
                int expected = hash.hash(compressed, 0, length, 0);
                if (intLE(scratch, 0) != expected) {
                    throw new CorruptDataException("Bad LZ4 block checksum");
                }
            }
            if (stored) {
                current = compressed;
                limit = length;
            } else {
                current = decompressed = decompress(length);
                limit = decompressedLength;
            }
            position = 0;
            if (contentHash != null) {
                contentHash.update(current, 0, limit);
            }
        } while (limit == 0);
        return true;
    }

    private byte[] decompress(int length) throws CorruptDataException {
        int bound = (int) Math.min(maxBlockSize, (long) length * MAX_EXPANSION);
        byte[] out = decompressed.length >= bound ? decompressed : new byte[Math.max(bound, MIN_BUFFER)];
        try {
            decompressedLength = decompressor.decompress(compressed, 0, length, out, 0, bound);
        } catch (LZ4Exception e) {
            throw new CorruptDataException("Corrupt LZ4 block: " + e.getMessage(), e);
        }
        return out;
    }

    /** Reads a block's {@code length} bytes into {@code compressed}, growing it only as bytes arrive. */
    private void readBlock(int length) throws IOException {
        int read = 0;
        while (read < length) {
            if (read == compressed.length) {
                int grown = (int) Math.min(length, Math.max(MIN_BUFFER, 2L * compressed.length));
                compressed = Arrays.copyOf(compressed, grown);
            }
            int n = source.read(compressed, read, Math.min(length, compressed.length) - read);
            if (n < 0) {
                throw new CorruptDataException("Truncated LZ4 frame: block of " + length
                        + " bytes ends after " + read);
            }
            read += n;
        }
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
