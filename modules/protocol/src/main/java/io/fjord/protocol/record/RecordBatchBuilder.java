package io.fjord.protocol.record;

import io.fjord.api.Header;
import io.fjord.api.TimestampType;
import io.fjord.api.compression.CompressionCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes one record batch of magic 2 (layout in {@link RecordBatchView}), in the bytes Kafka's
 * own builder would write: zigzag varints, base timestamp = first record's timestamp, last offset
 * delta = last record's offset delta, CRC-32C over attributes to the end.
 *
 * <p>Records are encoded as they are appended into a growing array; {@link #build()} compresses
 * that array as one block when a codec other than none is set, then writes the header. Offsets
 * are given explicitly, follow on from the previous record, or come as deltas; timestamps are
 * given explicitly or as deltas from a fixed base timestamp.
 * Not thread-safe; one builder builds one batch.
 */
public final class RecordBatchBuilder {

    private static final Header[] NO_HEADERS = new Header[0];

    private CompressionCodec codec;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTime = -1L;
    private long baseOffset;
    private int partitionLeaderEpoch = -1;
    private long producerId = -1L;
    private short producerEpoch = -1;
    private int baseSequence = -1;
    private boolean transactional;
    private boolean control;

    private byte[] records = new byte[256];
    private int size;
    private int count;
    private long lastOffset = -1L;
    private long baseTimestamp;
    private boolean baseTimestampSet;
    private long maxTimestamp = -1L;
    private boolean built;

    /** A builder of an uncompressed, non-transactional batch starting at {@code baseOffset}, timestamps of create time. */
    public RecordBatchBuilder(long baseOffset) {
        this.baseOffset = baseOffset;
        this.lastOffset = baseOffset - 1;
    }

    /** Compresses the records with this codec; null or the codec with id 0 means uncompressed. */
    public RecordBatchBuilder compression(CompressionCodec codec) {
        requireNoRecords();
        this.codec = codec == null || codec.id() == CompressionCodec.NONE ? null : codec;
        return this;
    }

    /** Create time (the default) carries each record's timestamp; log-append time the given broker time. */
    public RecordBatchBuilder timestampType(TimestampType type, long logAppendTime) {
        if (type == TimestampType.NO_TIMESTAMP_TYPE) {
            throw new IllegalArgumentException("A batch of magic 2 always has a timestamp type");
        }
        this.timestampType = type;
        this.logAppendTime = logAppendTime;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int epoch) {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    /** The idempotent producer's id, epoch and the sequence of the first record; -1 each for none. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    /** Marks a control batch; its records must then be control records (for example transaction markers). */
    public RecordBatchBuilder control(boolean control) {
        this.control = control;
        return this;
    }

    /**
     * Fixes the base timestamp that record timestamps are stored relative to; by default it is
     * the first record's timestamp, as Kafka's builder does. Needed before {@link #appendWithDeltas}.
     */
    public RecordBatchBuilder baseTimestamp(long baseTimestamp) {
        requireNoRecords();
        this.baseTimestamp = baseTimestamp;
        this.baseTimestampSet = true;
        return this;
    }

    /**
     * Appends a record given as deltas from the base offset and the base timestamp, the form in
     * which records are stored (for example when re-encoding records read from another batch).
     */
    public RecordBatchBuilder appendWithDeltas(int offsetDelta, long timestampDelta, byte[] key, byte[] value,
                                               Header... headers) {
        if (!baseTimestampSet) {
            throw new IllegalStateException("Set the base timestamp before appending records by delta");
        }
        return appendWithOffset(baseOffset + offsetDelta, baseTimestamp + timestampDelta, key, value, headers);
    }

    /** Appends a record at the offset after the previous one (the base offset for the first). */
    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, Header... headers) {
        return appendWithOffset(lastOffset + 1, timestamp, key, value, headers);
    }

    /**
     * Appends a record at an explicit offset, which must be above the previous record's and within
     * {@link Integer#MAX_VALUE} of the base offset. Key, value and header values may be null.
     */
    public RecordBatchBuilder appendWithOffset(long offset, long timestamp, byte[] key, byte[] value, Header... headers) {
        return appendWithOffset(offset, timestamp, key == null ? null : ByteBuffer.wrap(key),
                value == null ? null : ByteBuffer.wrap(value), headers);
    }

    /** As {@link #appendWithOffset(long, long, byte[], byte[], Header...)}; the remaining bytes of key and value are copied. */
    public RecordBatchBuilder appendWithOffset(long offset, long timestamp, ByteBuffer key, ByteBuffer value,
                                               Header... headers) {
        if (built) {
            throw new IllegalStateException("The batch was already built");
        }
        if (offset <= lastOffset) {
            throw new IllegalArgumentException("Offset " + offset + " is not above the previous " + lastOffset);
        }
        long delta = offset - baseOffset;
        if (delta > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " is too far from the base offset " + baseOffset);
        }
        Header[] hs = headers == null ? NO_HEADERS : headers;
        if (count == 0 && !baseTimestampSet) {
            baseTimestamp = timestamp;
        }
        byte[][] headerKeys = new byte[hs.length][];
        for (int i = 0; i < hs.length; i++) {
            headerKeys[i] = Objects.requireNonNull(hs[i], "header").key().getBytes(StandardCharsets.UTF_8);
        }
        long timestampDelta = timestamp - baseTimestamp;
        int keySize = key == null ? -1 : key.remaining();
        int valueSize = value == null ? -1 : value.remaining();

        long body = 1L + sizeOfVarlong(timestampDelta) + sizeOfVarint((int) delta)
                + sizeOfLength(keySize) + sizeOfLength(valueSize) + sizeOfVarint(hs.length);
        for (int i = 0; i < hs.length; i++) {
            byte[] headerValue = hs[i].value();
            body += sizeOfLength(headerKeys[i].length)
                    + sizeOfLength(headerValue == null ? -1 : headerValue.length);
        }
        if (body > Integer.MAX_VALUE - 5) {
            throw new IllegalArgumentException("A record cannot exceed 2 GiB");
        }
        int bodySize = (int) body;
        ensureCapacity(sizeOfVarint(bodySize) + body);

        writeVarint(bodySize);
        records[size++] = 0; // record attributes: unused
        writeVarlong(timestampDelta);
        writeVarint((int) delta);
        writeBytes(key);
        writeBytes(value);
        writeVarint(hs.length);
        for (int i = 0; i < hs.length; i++) {
            writeBytes(ByteBuffer.wrap(headerKeys[i]));
            byte[] headerValue = hs[i].value();
            writeBytes(headerValue == null ? null : ByteBuffer.wrap(headerValue));
        }

        count++;
        lastOffset = offset;
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        return this;
    }

    /**
     * Appends a transaction marker, the single record of a control batch: key {@code version
     * int16 = 0, type int16} (0 abort, 1 commit), value {@code version int16 = 0,
     * coordinatorEpoch int32}. Sets the control and transactional flags.
     */
    public RecordBatchBuilder appendEndTxnMarker(long timestamp, boolean commit, int coordinatorEpoch) {
        control = true;
        transactional = true;
        ByteBuffer key = ByteBuffer.allocate(4).putShort((short) 0).putShort((short) (commit ? 1 : 0)).flip();
        ByteBuffer value = ByteBuffer.allocate(6).putShort((short) 0).putInt(coordinatorEpoch).flip();
        return appendWithOffset(lastOffset + 1, timestamp, key, value);
    }

    public int recordCount() {
        return count;
    }

    /**
     * The batch: a new heap buffer, position 0, limit at its end, owned by the caller.
     *
     * @throws IllegalStateException if no record was appended or the batch was already built
     * @throws UncheckedIOException if the codec fails to compress
     */
    public ByteBuffer build() {
        if (built) {
            throw new IllegalStateException("The batch was already built");
        }
        if (count == 0) {
            throw new IllegalStateException("A batch needs at least one record");
        }
        built = true;
        ByteBuffer body = ByteBuffer.wrap(records, 0, size);
        if (codec != null) {
            try {
                body = codec.compress(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Compressing with " + codec.name() + " failed", e);
            }
        }
        int total = RecordBatchView.HEADER_SIZE + body.remaining();
        ByteBuffer batch = ByteBuffer.allocate(total);
        batch.putLong(baseOffset);
        batch.putInt(total - RecordBatchView.LOG_OVERHEAD);
        batch.putInt(partitionLeaderEpoch);
        batch.put(RecordBatchView.MAGIC);
        batch.putInt(0); // the CRC, written once the bytes it covers are in place
        batch.putShort(attributes());
        batch.putInt((int) (lastOffset - baseOffset));
        batch.putLong(baseTimestamp);
        batch.putLong(timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp);
        batch.putLong(producerId);
        batch.putShort(producerEpoch);
        batch.putInt(baseSequence);
        batch.putInt(count);
        batch.put(body);
        batch.flip();

        CRC32C crc = new CRC32C();
        crc.update(batch.array(), RecordBatchView.ATTRIBUTES_OFFSET, total - RecordBatchView.ATTRIBUTES_OFFSET);
        batch.putInt(RecordBatchView.CRC_OFFSET, (int) crc.getValue());
        records = null;
        return batch;
    }

    private short attributes() {
        int attributes = codec == null ? 0 : codec.id();
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attributes |= 0x08;
        }
        if (transactional) {
            attributes |= 0x10;
        }
        if (control) {
            attributes |= 0x20;
        }
        return (short) attributes;
    }

    private void requireNoRecords() {
        if (count > 0 || built) {
            throw new IllegalStateException("The codec and base timestamp must be set before the first record");
        }
    }

    private void ensureCapacity(long more) {
        long needed = size + more;
        if (needed > Integer.MAX_VALUE - RecordBatchView.HEADER_SIZE - 8) {
            throw new IllegalStateException("A record batch cannot exceed 2 GiB");
        }
        if (needed > records.length) {
            records = Arrays.copyOf(records, (int) Math.max(needed, Math.min(2L * records.length,
                    Integer.MAX_VALUE - RecordBatchView.HEADER_SIZE - 8)));
        }
    }

    private void writeBytes(ByteBuffer bytes) {
        if (bytes == null) {
            writeVarint(-1);
            return;
        }
        int n = bytes.remaining();
        writeVarint(n);
        bytes.duplicate().get(records, size, n);
        size += n;
    }

    private void writeVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7F) != 0) {
            records[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        records[size++] = (byte) v;
    }

    private void writeVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            records[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        records[size++] = (byte) v;
    }

    private static long sizeOfLength(int length) {
        return sizeOfVarint(length) + (long) Math.max(0, length);
    }

    static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & ~0x7F) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & ~0x7FL) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }
}
