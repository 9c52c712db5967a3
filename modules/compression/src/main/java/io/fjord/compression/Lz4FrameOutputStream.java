package io.fjord.compression;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.xxhash.XXHash32;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes one LZ4 frame in Kafka's shape (see {@link Lz4Frame}): independent 64 KiB blocks, no
 * checksums besides the header's, no content size. A block that does not shrink is stored
 * uncompressed. Bytes are identical to Kafka's writer given the same compressor.
 *
 * <p>Owns two buffers of about 64 KiB each, and {@code sink}, which {@link #close()} closes after
 * writing the last block and the end mark.
 */
final class Lz4FrameOutputStream extends OutputStream {

    private static final int BLOCK_SIZE = Lz4Frame.maxBlockSize(Lz4Frame.BLOCK_SIZE_ID_64KB);

    private final OutputStream sink;
    private final LZ4Compressor compressor;
    private final byte[] block = new byte[BLOCK_SIZE];
    private final byte[] compressed;
    private final byte[] sizeField = new byte[4];
    private int blockLength;
    private boolean closed;

    Lz4FrameOutputStream(OutputStream sink, LZ4Compressor compressor, XXHash32 hash) throws IOException {
        this.sink = sink;
        this.compressor = compressor;
        this.compressed = new byte[compressor.maxCompressedLength(BLOCK_SIZE)];
        writeHeader(hash);
    }

    private void writeHeader(XXHash32 hash) throws IOException {
        byte[] header = new byte[7];
        writeIntLE(header, 0, Lz4Frame.MAGIC);
        header[4] = (byte) (Lz4Frame.VERSION << Lz4Frame.FLG_VERSION_SHIFT | Lz4Frame.FLG_BLOCK_INDEPENDENCE);
        header[5] = (byte) (Lz4Frame.BLOCK_SIZE_ID_64KB << Lz4Frame.BD_SIZE_SHIFT);
        header[6] = (byte) Lz4Frame.headerChecksum(hash, header, 4, 2);
        sink.write(header);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (blockLength == BLOCK_SIZE) {
            writeBlock();
        }
        block[blockLength++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (blockLength == BLOCK_SIZE) {
                writeBlock();
            }
            int n = Math.min(len, BLOCK_SIZE - blockLength);
            System.arraycopy(b, off, block, blockLength, n);
            blockLength += n;
            off += n;
            len -= n;
        }
    }

    /** Ends the current block early (as Kafka's writer does) and flushes the sink. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        writeBlock();
        sink.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (OutputStream s = sink) {
            writeBlock();
            writeIntLE(sizeField, 0, 0);
            s.write(sizeField);
        }
    }

    private void writeBlock() throws IOException {
        if (blockLength == 0) {
            return;
        }
        int length = compressor.compress(block, 0, blockLength, compressed, 0, compressed.length);
        byte[] data = compressed;
        int size = length;
        if (length >= blockLength) {
            data = block;
            length = blockLength;
            size = blockLength | Lz4Frame.UNCOMPRESSED_FLAG;
        }
        writeIntLE(sizeField, 0, size);
        sink.write(sizeField);
        sink.write(data, 0, length);
        blockLength = 0;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("LZ4 frame already closed");
        }
    }

    private static void writeIntLE(byte[] b, int off, int value) {
        b[off] = (byte) value;
        b[off + 1] = (byte) (value >>> 8);
        b[off + 2] = (byte) (value >>> 16);
        b[off + 3] = (byte) (value >>> 24);
    }
}
