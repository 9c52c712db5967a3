package io.fjord.protocol.record;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Rewrites the record batches of a produce request in another codec, as a broker does for a topic
 * whose {@code compression.type} names a codec other than the producer's.
 *
 * <p>The records of a batch are encoded the same way whether the batch is compressed or not; only
 * the records section is compressed as one stream. So a batch is rewritten by decompressing that
 * section, checking every record in it, compressing it with the target codec and writing the old
 * header with new codec bits, length and CRC-32C. Producer id, epoch, sequence, timestamps,
 * offsets deltas and record count are kept, so idempotence works across the rewrite.
 *
 * <p>Stateless; the static methods are thread-safe as far as the codecs are.
 */
public final class RecordBatchRecompressor {

    private static final int CODEC_MASK = 0x07;

    private RecordBatchRecompressor() {
    }

    /**
     * Whether a batch in {@code records} (position to limit) is in another codec than {@code
     * targetCodecId}; reads only the attributes of each batch and allocates nothing. Stops at the
     * first batch whose framing is broken, leaving it to validation to reject.
     */
    public static boolean needsRecompression(ByteBuffer records, int targetCodecId) {
        int position = records.position();
        int end = records.limit();
        while (end - position >= RecordBatchView.HEADER_SIZE) {
            long size = records.getInt(position + RecordBatchView.BATCH_LENGTH_OFFSET)
                    + (long) RecordBatchView.LOG_OVERHEAD;
            if (size < RecordBatchView.HEADER_SIZE || size > end - position) {
                return false;
            }
            if ((records.getShort(position + RecordBatchView.ATTRIBUTES_OFFSET) & CODEC_MASK) != targetCodecId) {
                return true;
            }
            position += (int) size;
        }
        return false;
    }

    /**
     * The batches of {@code records} (position to limit), each in the {@code target} codec: a
     * batch already in it is copied unchanged, the others are checked (CRC, then every record) and
     * rewritten.
     *
     * @param codecs where the codec of an incoming compressed batch is looked up
     * @param target the codec to write; the codec with id 0 writes uncompressed batches
     * @param maxDecompressedBytes the most bytes one batch's records may inflate to
     * @return a new heap buffer owned by the caller, position 0, limit at the end of the last batch;
     *     the caller's buffer is not changed
     * @throws ProtocolException {@link Errors#CORRUPT_MESSAGE} for broken framing, a CRC mismatch or
     *     data the codec rejects, {@link Errors#UNSUPPORTED_COMPRESSION_TYPE} when the codec of an
     *     incoming batch is not available, {@link Errors#INVALID_RECORD} for malformed records,
     *     {@link Errors#UNKNOWN_SERVER_ERROR} if the target codec fails
     */
    public static ByteBuffer recompress(ByteBuffer records, CodecRegistry codecs, CompressionCodec target,
                                        int maxDecompressedBytes) {
        RecordBatchIterator batches = new RecordBatchIterator(records);
        List<ByteBuffer> rewritten = new ArrayList<>(4);
        long total = 0;
        while (batches.hasNext()) {
            RecordBatchView batch = batches.next();
            if (batch.magic() != RecordBatchView.MAGIC) {
                throw new ProtocolException(Errors.CORRUPT_MESSAGE, "Record batch of magic " + batch.magic()
                        + " cannot be recompressed; only magic 2 is accepted");
            }
            batch.ensureValid();
            ByteBuffer out = batch.compressionId() == target.id() ? batch.buffer()
                    : rewrite(batch, codecs, target, maxDecompressedBytes);
            rewritten.add(out);
            total += out.remaining();
        }
        if (batches.truncatedBytes() > 0) {
            throw new ProtocolException(Errors.CORRUPT_MESSAGE, "The last record batch is truncated by "
                    + batches.truncatedBytes() + " bytes");
        }
        if (total > Integer.MAX_VALUE) {
            throw new ProtocolException(Errors.RECORD_LIST_TOO_LARGE, "Recompressed batches exceed 2 GiB");
        }
        ByteBuffer result = ByteBuffer.allocate((int) total);
        for (ByteBuffer batch : rewritten) {
            result.put(batch);
        }
        return result.flip();
    }

    private static ByteBuffer rewrite(RecordBatchView batch, CodecRegistry codecs, CompressionCodec target,
                                      int maxDecompressedBytes) {
        ByteBuffer plain = batch.uncompressedRecords(codecs, maxDecompressedBytes);
        RecordCursor cursor = new RecordCursor(plain.duplicate(), batch);
        int checked = 0;
        while (cursor.next()) { // checks each record and, at the end, that the count is exact
            checked++;
        }
        ByteBuffer body;
        if (target.id() == CompressionCodec.NONE) {
            body = plain;
        } else {
            try {
                body = target.compress(plain);
            } catch (IOException | RuntimeException e) {
                // The input was checked: a failure here is the broker's, not the producer's.
                throw new ProtocolException(Errors.UNKNOWN_SERVER_ERROR, "Compressing " + checked
                        + " records with " + target.name() + " failed: " + e.getMessage(), e);
            }
        }
        int size = RecordBatchView.HEADER_SIZE + body.remaining();
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(batch.buffer().limit(RecordBatchView.HEADER_SIZE));
        out.put(body.duplicate());
        out.putInt(RecordBatchView.BATCH_LENGTH_OFFSET, size - RecordBatchView.LOG_OVERHEAD);
        short attributes = (short) ((batch.attributes() & ~CODEC_MASK) | target.id());
        out.putShort(RecordBatchView.ATTRIBUTES_OFFSET, attributes);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), RecordBatchView.ATTRIBUTES_OFFSET, size - RecordBatchView.ATTRIBUTES_OFFSET);
        out.putInt(RecordBatchView.CRC_OFFSET, (int) crc.getValue());
        return out.flip();
    }
}
