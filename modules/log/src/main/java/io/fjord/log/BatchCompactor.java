package io.fjord.log;

import io.fjord.api.TimestampType;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.CodecRegistry;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.record.RecordCursor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes what the cleaner keeps of one record batch, as Kafka's cleaner does: a record stays if
 * it is the latest of its key in the offset map (or lies past what the map covers), and a
 * tombstone (null value) stays until its batch's delete horizon has passed. A batch keeps its
 * base offset, last offset delta, leader epoch, producer id, epoch and base sequence, timestamp
 * type and codec, so offsets and the producer's sequences never change. A batch that lost every
 * record is dropped, except the newest batch of a producer the log still tracks, which stays as
 * an empty header so the producer's sequence survives.
 *
 * <p>The delete horizon (attribute bit 6, stored in the base timestamp field) is set the first
 * time a cleaning keeps a tombstone: the cleaning's time plus {@code delete.retention.ms}.
 * Record timestamps are deltas from the base timestamp, so setting it rewrites each record's
 * delta; otherwise kept records are copied byte for byte, and a batch that keeps everything is
 * copied whole.
 *
 * <p>Output goes to a growing heap buffer that the caller drains. Not thread-safe; every buffer
 * is reused, so a batch costs no allocation beyond its decompression.
 */
final class BatchCompactor {

    private static final short CODEC_MASK = 0x07;
    private static final short DELETE_HORIZON_BIT = 0x40;

    private final int maxDecompressedBytes;
    private ByteBuffer output;
    private ByteBuffer plain = ByteBuffer.allocate(64 * 1024);
    private int[] positions = new int[256];
    private int[] sizes = new int[256];
    private long[] deltas = new long[256];
    private long recordsRead;
    private long recordsWritten;
    private long earliestHorizonMs = Long.MAX_VALUE;

    BatchCompactor(int outputBytes, int maxDecompressedBytes) {
        this.output = ByteBuffer.allocate(Math.max(outputBytes, RecordBatchView.HEADER_SIZE));
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** The batches written so far, from 0 to the position. */
    ByteBuffer output() {
        return output;
    }

    long recordsRead() {
        return recordsRead;
    }

    long recordsWritten() {
        return recordsWritten;
    }

    /** The earliest delete horizon of a kept tombstone, or Long.MAX_VALUE: when another cleaning pays. */
    long earliestHorizonMs() {
        return earliestHorizonMs;
    }

    void resetCounters() {
        recordsRead = 0;
        recordsWritten = 0;
        earliestHorizonMs = Long.MAX_VALUE;
    }

    /**
     * Appends the kept part of {@code batch} to the output.
     *
     * @param producerLastOffsets the last offset of each producer's newest batch
     */
    void compact(RecordBatchView batch, OffsetMap map, CodecRegistry codecs, long nowMs, long deleteRetentionMs,
                 Map<Long, Long> producerLastOffsets) throws IOException {
        if (batch.isControlBatch() || batch.baseOffset() > map.latestOffset()) {
            recordsRead += batch.recordCount();
            recordsWritten += batch.recordCount();
            copyWhole(batch);
            return;
        }
        boolean hasHorizon = (batch.attributes() & DELETE_HORIZON_BIT) != 0;
        long horizon = batch.baseTimestamp();
        RecordCursor records = batch.records(codecs, maxDecompressedBytes);
        ByteBuffer source = records.recordsBuffer();
        int total = 0;
        int kept = 0;
        boolean tombstones = false;
        long maxTimestamp = -1L;
        while (records.next()) {
            total++;
            if (!keep(records, source, map, hasHorizon, horizon, nowMs)) {
                continue;
            }
            if (kept == positions.length) {
                positions = Arrays.copyOf(positions, kept * 2);
                sizes = Arrays.copyOf(sizes, kept * 2);
                deltas = Arrays.copyOf(deltas, kept * 2);
            }
            positions[kept] = records.recordPosition();
            sizes[kept] = records.sizeInBytes();
            deltas[kept] = records.timestampDelta();
            tombstones |= records.valueSize() < 0;
            maxTimestamp = Math.max(maxTimestamp, records.timestamp());
            kept++;
        }
        recordsRead += total;
        recordsWritten += kept;
        boolean setHorizon = tombstones && !hasHorizon;
        if (tombstones) {
            earliestHorizonMs = Math.min(earliestHorizonMs, setHorizon ? nowMs + deleteRetentionMs : horizon);
        }
        if (kept == total && !setHorizon) {
            copyWhole(batch);
        } else if (kept == 0) {
            Long last = batch.producerId() >= 0 ? producerLastOffsets.get(batch.producerId()) : null;
            if (last != null && last == batch.lastOffset()) {
                writeEmptyHeader(batch);
            }
        } else {
            long baseTimestamp = setHorizon ? nowMs + deleteRetentionMs : batch.baseTimestamp();
            rebuild(batch, codecs, source, kept, baseTimestamp, setHorizon,
                    batch.timestampType() == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp() : maxTimestamp);
        }
    }

    private static boolean keep(RecordCursor record, ByteBuffer source, OffsetMap map, boolean hasHorizon,
                                long horizon, long nowMs) {
        if (record.offset() > map.latestOffset()) {
            return true;
        }
        if (record.keySize() < 0) {
            // Only a log that was not compacted when written holds these; Kafka's cleaner drops them too.
            return false;
        }
        if (record.offset() < map.get(source, record.keyPosition(), record.keySize())) {
            return false;
        }
        return record.valueSize() >= 0 || !hasHorizon || nowMs < horizon;
    }

    private void copyWhole(RecordBatchView batch) {
        ensureOutput(batch.sizeInBytes());
        output.put(batch.buffer());
    }

    /** Kafka's empty batch: the header with no records, no codec, both timestamps the old max. */
    private void writeEmptyHeader(RecordBatchView batch) {
        ensureOutput(RecordBatchView.HEADER_SIZE);
        int start = output.position();
        output.put(batch.buffer().limit(RecordBatchView.HEADER_SIZE));
        short attributes = (short) (batch.attributes() & ~CODEC_MASK & ~DELETE_HORIZON_BIT);
        seal(start, attributes, batch.maxTimestamp(), batch.maxTimestamp(), 0);
    }

    private void rebuild(RecordBatchView batch, CodecRegistry codecs, ByteBuffer source, int kept,
                         long baseTimestamp, boolean setHorizon, long maxTimestamp) throws IOException {
        plain.clear();
        long oldBase = batch.baseTimestamp();
        for (int i = 0; i < kept; i++) {
            if (setHorizon) {
                rewriteDelta(source, positions[i], sizes[i], oldBase + deltas[i] - baseTimestamp);
            } else {
                ensurePlain(sizes[i]);
                plain.put(source.slice(positions[i], sizes[i]));
            }
        }
        plain.flip();
        ByteBuffer body = plain;
        if (batch.isCompressed()) {
            CompressionCodec codec = codecs.codec(batch.compressionId());
            if (codec == null) {
                throw new LogException(Errors.UNSUPPORTED_COMPRESSION_TYPE, "No codec with id "
                        + batch.compressionId() + " is available to rewrite " + batch);
            }
            body = codec.compress(plain);
        }
        ensureOutput(RecordBatchView.HEADER_SIZE + body.remaining());
        int start = output.position();
        output.put(batch.buffer().limit(RecordBatchView.HEADER_SIZE));
        output.put(body);
        short attributes = (short) (setHorizon ? batch.attributes() | DELETE_HORIZON_BIT : batch.attributes());
        seal(start, attributes, baseTimestamp, maxTimestamp, kept);
    }

    /** Copies one record with a new timestamp delta: length, attributes and delta re-encoded, the rest as is. */
    private void rewriteDelta(ByteBuffer source, int position, int size, long newDelta) {
        int attributesAt = skipVarint(source, position);
        int tailStart = skipVarint(source, attributesAt + 1);
        int tail = position + size - tailStart;
        int newLength = 1 + varlongSize(zigzag(newDelta)) + tail;
        ensurePlain(5 + newLength);
        writeVarlong(plain, zigzag(newLength));
        plain.put(source.get(attributesAt));
        writeVarlong(plain, zigzag(newDelta));
        plain.put(source.slice(tailStart, tail));
    }

    /** Where the varint or varlong at {@code position} ends (the cursor already checked it). */
    private static int skipVarint(ByteBuffer source, int position) {
        while ((source.get(position) & 0x80) != 0) {
            position++;
        }
        return position + 1;
    }

    /** Fills in length, attributes, timestamps, count and CRC of the batch written from {@code start}. */
    private void seal(int start, short attributes, long baseTimestamp, long maxTimestamp, int count) {
        int size = output.position() - start;
        output.putInt(start + RecordBatchView.BATCH_LENGTH_OFFSET, size - RecordBatchView.LOG_OVERHEAD);
        output.putShort(start + RecordBatchView.ATTRIBUTES_OFFSET, attributes);
        output.putLong(start + RecordBatchView.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        output.putLong(start + RecordBatchView.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        output.putInt(start + RecordBatchView.RECORD_COUNT_OFFSET, count);
        CRC32C crc = new CRC32C();
        crc.update(output.array(), output.arrayOffset() + start + RecordBatchView.ATTRIBUTES_OFFSET,
                size - RecordBatchView.ATTRIBUTES_OFFSET);
        output.putInt(start + RecordBatchView.CRC_OFFSET, (int) crc.getValue());
    }

    private void ensureOutput(int bytes) {
        if (output.remaining() < bytes) {
            output = grow(output, bytes);
        }
    }

    private void ensurePlain(int bytes) {
        if (plain.remaining() < bytes) {
            plain = grow(plain, bytes);
        }
    }

    private static ByteBuffer grow(ByteBuffer buffer, int needed) {
        long capacity = Math.max(2L * buffer.capacity(), (long) buffer.position() + needed);
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(capacity, Integer.MAX_VALUE - 8));
        bigger.put(buffer.flip());
        return bigger;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static int varlongSize(long zigzagged) {
        int bytes = 1;
        while ((zigzagged & ~0x7fL) != 0) {
            bytes++;
            zigzagged >>>= 7;
        }
        return bytes;
    }

    private static void writeVarlong(ByteBuffer out, long zigzagged) {
        while ((zigzagged & ~0x7fL) != 0) {
            out.put((byte) ((zigzagged & 0x7f) | 0x80));
            zigzagged >>>= 7;
        }
        out.put((byte) zigzagged);
    }
}
