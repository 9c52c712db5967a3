package io.fjord.log;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileLogInputStream;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Batches written by Kafka's own builder, and segment files read back by Kafka's FileRecords. */
final class Batches {

    static final long BASE_TIME = 1_700_000_000_000L;

    private Batches() {
    }

    /** A non-idempotent batch of {@code count} records whose values are {@code value(tag, i)}. */
    static ByteBuffer plain(int count, int valueBytes, String tag, long timestamp) {
        return build(Compression.NONE, count, valueBytes, tag, timestamp, -1L, (short) -1, -1);
    }

    /** An idempotent batch. */
    static ByteBuffer idempotent(long producerId, short epoch, int baseSequence, int count, long timestamp) {
        return build(Compression.NONE, count, 16, "p" + producerId + "s" + baseSequence, timestamp,
                producerId, epoch, baseSequence);
    }

    static ByteBuffer build(Compression compression, int count, int valueBytes, String tag, long timestamp,
                            long producerId, short epoch, int baseSequence) {
        ByteBuffer buffer = ByteBuffer.allocate(256 + count * (valueBytes + 64));
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence,
                false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < count; i++) {
            builder.append(timestamp + i, ("k" + i).getBytes(StandardCharsets.UTF_8), value(tag, i, valueBytes));
        }
        ByteBuffer built = builder.build().buffer();
        // A fresh, writable copy holding exactly the batch, as a produce request would carry it.
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built).flip();
        return copy;
    }

    static byte[] value(String tag, int i, int size) {
        byte[] prefix = (tag + ":" + i + ":").getBytes(StandardCharsets.UTF_8);
        byte[] v = new byte[Math.max(size, prefix.length)];
        System.arraycopy(prefix, 0, v, 0, prefix.length);
        for (int j = prefix.length; j < v.length; j++) {
            v[j] = (byte) ('a' + (i + j) % 26);
        }
        return v;
    }

    /** A batch as Kafka reads it from a segment file: its position and offsets. */
    record StoredBatch(Path file, int position, int size, long baseOffset, long lastOffset, long maxTimestamp,
                       List<String> values) {
    }

    /** Every batch of a segment file, read and CRC-checked by Kafka's FileRecords. */
    static List<StoredBatch> readWithKafka(Path segmentFile) throws IOException {
        List<StoredBatch> result = new ArrayList<>();
        try (FileRecords records = FileRecords.open(segmentFile.toFile(), false)) {
            for (FileLogInputStream.FileChannelRecordBatch batch : records.batches()) {
                batch.ensureValid();
                List<String> values = new ArrayList<>();
                for (Record r : batch) {
                    ByteBuffer v = r.value();
                    byte[] bytes = new byte[v.remaining()];
                    v.get(bytes);
                    values.add(new String(bytes, StandardCharsets.UTF_8));
                }
                result.add(new StoredBatch(segmentFile, batch.position(), batch.sizeInBytes(), batch.baseOffset(),
                        batch.lastOffset(), batch.maxTimestamp(), values));
            }
        }
        return result;
    }

    /** Every batch in a byte buffer, read by Kafka's MemoryRecords. */
    static List<RecordBatch> readWithKafka(ByteBuffer bytes) {
        List<RecordBatch> result = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableRecords(bytes.duplicate()).batches()) {
            batch.ensureValid();
            result.add(batch);
        }
        return result;
    }
}
