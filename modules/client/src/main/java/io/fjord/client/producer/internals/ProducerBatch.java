package io.fjord.client.producer.internals;

import io.fjord.api.Header;
import io.fjord.api.TopicPartition;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.client.producer.Callback;
import io.fjord.protocol.record.RecordBatchView;
import io.fjord.protocol.types.Varints;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One record batch of magic 2 for one partition, written record by record straight into a buffer
 * of the {@link BufferPool}: the records section grows after room left for the 61-byte header,
 * which {@link #close} fills in (with compression, the records section is compressed then) and
 * {@link #stamp} rewrites with the producer id, epoch and sequence.
 *
 * <p>Invariants: appends happen under the partition deque's lock, before {@link #close}; after it
 * the bytes are fixed except for the stamped fields and the CRC. Each record keeps its future and
 * callback in arrays indexed by offset delta, so a record costs one future object and no other.
 */
final class ProducerBatch {

    final TopicPartition partition;
    final long createdMs;
    final boolean pooled;
    private final ByteBuffer buffer;
    private final int allocatedSize;
    private final CompressionCodec codec;

    private int recordCount;
    private long baseTimestamp;
    private long maxTimestamp = -1;
    private FutureRecordMetadata[] futures = new FutureRecordMetadata[16];
    private Callback[] callbacks = new Callback[16];
    private ProduceResult result = new ProduceResult();

    /** The batch on the wire once closed: the pooled buffer, or a compressed copy. */
    private ByteBuffer wire;

    int attempts;
    long lastAttemptMs;
    boolean retried;
    /** Stamped producer state; -1 without idempotence. */
    long producerId = -1;
    short producerEpoch = -1;
    int baseSequence = -1;
    boolean inFlight;

    ProducerBatch(TopicPartition partition, ByteBuffer buffer, CompressionCodec codec, long createdMs) {
        this(partition, buffer, codec, createdMs, true);
    }

    /** @param pooled whether the buffer came from the pool (a split's buffers do not) */
    ProducerBatch(TopicPartition partition, ByteBuffer buffer, CompressionCodec codec, long createdMs, boolean pooled) {
        this.pooled = pooled;
        this.partition = partition;
        this.buffer = buffer;
        this.allocatedSize = buffer.capacity();
        this.codec = codec;
        this.createdMs = createdMs;
        this.lastAttemptMs = createdMs;
        buffer.position(RecordBatchView.RECORDS_OFFSET);
    }

    /** The bytes a record takes in a batch, its length prefix included. */
    static int recordSize(int offsetDelta, long timestampDelta, byte[] key, byte[] value, Header[] headers) {
        int body = bodySize(offsetDelta, timestampDelta, key, value, headers);
        return Varints.sizeOfVarint(body) + body;
    }

    /** Room a batch holding one such record needs, header included. */
    static int sizeForSingleRecord(byte[] key, byte[] value, Header[] headers) {
        return RecordBatchView.RECORDS_OFFSET + recordSize(0, 0, key, value, headers);
    }

    private static int bodySize(int offsetDelta, long timestampDelta, byte[] key, byte[] value, Header[] headers) {
        int size = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
                + bytesSize(key) + bytesSize(value) + Varints.sizeOfVarint(headers.length);
        for (Header header : headers) {
            int keyBytes = utf8Length(header.key());
            size += Varints.sizeOfVarint(keyBytes) + keyBytes + bytesSize(header.value());
        }
        return size;
    }

    private static int bytesSize(byte[] bytes) {
        return bytes == null ? Varints.sizeOfVarint(-1) : Varints.sizeOfVarint(bytes.length) + bytes.length;
    }

    /**
     * Appends a record if it fits.
     *
     * @return its future, or {@code null} if the batch has no room (it then takes no more records)
     */
    FutureRecordMetadata tryAppend(long timestamp, byte[] key, byte[] value, Header[] headers, Callback callback) {
        if (wire != null) {
            return null;
        }
        long base = recordCount == 0 ? timestamp : baseTimestamp;
        long delta = timestamp - base;
        int body = bodySize(recordCount, delta, key, value, headers);
        if (buffer.remaining() < Varints.sizeOfVarint(body) + body) {
            return null;
        }
        if (recordCount == 0) {
            baseTimestamp = timestamp;
        }
        writeVarint(body);
        buffer.put((byte) 0);
        writeVarlong(delta);
        writeVarint(recordCount);
        writeBytes(key);
        writeBytes(value);
        writeVarint(headers.length);
        for (Header header : headers) {
            byte[] headerKey = header.key().getBytes(StandardCharsets.UTF_8);
            writeVarint(headerKey.length);
            buffer.put(headerKey);
            writeBytes(header.value());
        }
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        FutureRecordMetadata future = new FutureRecordMetadata(partition, result, recordCount, timestamp,
                key == null ? -1 : key.length, value == null ? -1 : value.length);
        if (recordCount == futures.length) {
            futures = Arrays.copyOf(futures, recordCount * 2);
            callbacks = Arrays.copyOf(callbacks, recordCount * 2);
        }
        futures[recordCount] = future;
        callbacks[recordCount] = callback;
        recordCount++;
        return future;
    }

    int recordCount() {
        return recordCount;
    }

    /** Bytes written so far, header included (uncompressed). */
    int estimatedSizeInBytes() {
        return wire != null ? wire.remaining() : buffer.position();
    }

    /** Whether the buffer has no room for even a small record more. */
    boolean isFull() {
        return wire != null || buffer.remaining() < 16;
    }

    boolean isClosed() {
        return wire != null;
    }

    int allocatedSize() {
        return allocatedSize;
    }

    ByteBuffer pooledBuffer() {
        return buffer;
    }

    /**
     * Seals the batch: compresses the records section if a codec is set and writes the header. The
     * pooled buffer keeps the uncompressed records until the batch ends, for a split.
     */
    void close() {
        if (wire != null) {
            return;
        }
        int end = buffer.position();
        if (codec != null && codec.id() != CompressionCodec.NONE) {
            ExposedByteArrayOutputStream out = new ExposedByteArrayOutputStream(Math.max(64, end / 2));
            out.write(new byte[RecordBatchView.RECORDS_OFFSET], 0, RecordBatchView.RECORDS_OFFSET);
            try (OutputStream compressor = codec.compressor(out)) {
                compressor.write(buffer.array(), buffer.arrayOffset() + RecordBatchView.RECORDS_OFFSET,
                        end - RecordBatchView.RECORDS_OFFSET);
            } catch (IOException e) {
                throw new UncheckedIOException("Compressing a batch for " + partition + " with " + codec.name(), e);
            }
            wire = ByteBuffer.wrap(out.array(), 0, out.size());
        } else {
            wire = buffer.duplicate().flip();
        }
        writeHeader();
    }

    /** Sets the producer id, epoch and base sequence, recomputing the CRC. */
    void stamp(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        if (wire != null) {
            writeHeader();
        }
    }

    private void writeHeader() {
        ByteBuffer out = wire;
        int size = out.remaining();
        out.putLong(RecordBatchView.BASE_OFFSET_OFFSET, 0L);
        out.putInt(RecordBatchView.BATCH_LENGTH_OFFSET, size - RecordBatchView.LOG_OVERHEAD);
        out.putInt(RecordBatchView.PARTITION_LEADER_EPOCH_OFFSET, -1);
        out.put(RecordBatchView.MAGIC_OFFSET, (byte) 2);
        out.putShort(RecordBatchView.ATTRIBUTES_OFFSET, (short) (codec == null ? 0 : codec.id()));
        out.putInt(RecordBatchView.LAST_OFFSET_DELTA_OFFSET, recordCount - 1);
        out.putLong(RecordBatchView.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(RecordBatchView.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        out.putLong(RecordBatchView.PRODUCER_ID_OFFSET, producerId);
        out.putShort(RecordBatchView.PRODUCER_EPOCH_OFFSET, producerEpoch);
        out.putInt(RecordBatchView.BASE_SEQUENCE_OFFSET, baseSequence);
        out.putInt(RecordBatchView.RECORD_COUNT_OFFSET, recordCount);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + RecordBatchView.ATTRIBUTES_OFFSET,
                size - RecordBatchView.ATTRIBUTES_OFFSET);
        out.putInt(RecordBatchView.CRC_OFFSET, (int) crc.getValue());
    }

    /** The closed batch's bytes, positioned at its start. */
    ByteBuffer wireBuffer() {
        return wire.duplicate();
    }

    /**
     * Ends the batch: records the outcome, runs the callbacks in record order, then releases the
     * futures. Returns how many callbacks threw (their exceptions are not the producer's concern).
     */
    int complete(long baseOffset, long logAppendTime, RuntimeException error) {
        ProduceResult done = result;
        done.set(baseOffset, logAppendTime, error);
        int failures = 0;
        for (int i = 0; i < recordCount; i++) {
            Callback callback = callbacks[i];
            if (callback != null) {
                try {
                    callback.onCompletion(futures[i].metadata(), error);
                } catch (RuntimeException e) {
                    failures++;
                }
            }
        }
        done.done();
        return failures;
    }

    FutureRecordMetadata future(int index) {
        return futures[index];
    }

    Callback callback(int index) {
        return callbacks[index];
    }

    /**
     * Splits this batch, which the broker refused as too large, into batches of about
     * {@code targetSize} bytes holding the same records in order. The records' futures and
     * callbacks move to the new batches; with idempotence the new batches take this batch's
     * sequence numbers, in order, since none of them was written.
     */
    List<ProducerBatch> split(int targetSize) {
        List<ProducerBatch> parts = new ArrayList<>();
        ByteBuffer in = buffer.duplicate().flip().position(RecordBatchView.RECORDS_OFFSET);
        ProducerBatch current = null;
        int sequence = baseSequence;
        for (int i = 0; i < recordCount; i++) {
            int length = readVarint(in);
            int end = in.position() + length;
            in.get(); // attributes
            long timestamp = baseTimestamp + readVarlong(in);
            readVarint(in); // offset delta
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            Header[] headers = new Header[readVarint(in)];
            for (int h = 0; h < headers.length; h++) {
                byte[] headerKey = readBytes(in);
                headers[h] = new Header(new String(headerKey, StandardCharsets.UTF_8), readBytes(in));
            }
            in.position(end);
            FutureRecordMetadata future = current == null ? null
                    : current.tryAppend(timestamp, key, value, headers, callbacks[i]);
            if (future == null) {
                if (current != null) {
                    current.close();
                }
                int size = Math.max(targetSize, sizeForSingleRecord(key, value, headers));
                current = new ProducerBatch(partition, ByteBuffer.allocate(size), codec, createdMs, false);
                current.attempts = attempts;
                parts.add(current);
                future = current.tryAppend(timestamp, key, value, headers, callbacks[i]);
            }
            // The caller's future now follows the new batch; the one just made is not handed out.
            futures[i].reassign(current.result, current.recordCount - 1);
            current.futures[current.recordCount - 1] = futures[i];
        }
        if (sequence >= 0) {
            for (ProducerBatch part : parts) {
                part.stamp(producerId, producerEpoch, sequence);
                sequence += part.recordCount;
            }
        }
        // Anyone waiting on this batch's result moves on to the new batches' results.
        result.complete(-1, -1, null);
        return parts;
    }

    private static int readVarint(ByteBuffer in) {
        int raw = 0;
        int shift = 0;
        byte b;
        do {
            b = in.get();
            raw |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private static long readVarlong(ByteBuffer in) {
        long raw = 0;
        int shift = 0;
        byte b;
        do {
            b = in.get();
            raw |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return (raw >>> 1) ^ -(raw & 1);
    }

    private static byte[] readBytes(ByteBuffer in) {
        int length = readVarint(in);
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    ProduceResult result() {
        return result;
    }

    private void writeVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7F) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    private void writeVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            buffer.put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    private void writeBytes(byte[] bytes) {
        if (bytes == null) {
            writeVarint(-1);
        } else {
            writeVarint(bytes.length);
            buffer.put(bytes);
        }
    }

    private static int utf8Length(String s) {
        int length = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }

    /** A byte array stream whose array can be wrapped without a copy. */
    private static final class ExposedByteArrayOutputStream extends ByteArrayOutputStream {
        ExposedByteArrayOutputStream(int size) {
            super(size);
        }

        byte[] array() {
            return buf;
        }
    }
}
