package io.fjord.log;

import io.fjord.api.compression.CompressionCodec;
import io.fjord.protocol.record.CodecRegistry;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileLogInputStream;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Keyed batches built by Kafka's builder, and compacted logs read back by Kafka's FileRecords. */
final class Compacted {

    /** A codec registry with a gzip codec on the JDK's streams, byte-compatible with Kafka's gzip. */
    static final CodecRegistry GZIP = CodecRegistry.of(new CompressionCodec() {
        @Override
        public String name() {
            return "gzip";
        }

        @Override
        public int id() {
            return 1;
        }

        @Override
        public OutputStream compressor(OutputStream sink) throws IOException {
            return new GZIPOutputStream(sink);
        }

        @Override
        public InputStream decompressor(InputStream source) throws IOException {
            return new GZIPInputStream(source);
        }
    });

    private Compacted() {
    }

    /** A record as a reader sees it. */
    record KeyValue(long offset, String key, String value) {
    }

    /** Topic config of a compacted log with small segments that the cleaner takes at once. */
    static LogConfig config(int segmentBytes, long deleteRetentionMs) {
        Map<String, Object> props = new HashMap<>();
        props.put("cleanup.policy", "compact");
        props.put("segment.bytes", segmentBytes);
        props.put("segment.index.bytes", 4096);
        props.put("index.interval.bytes", 512);
        props.put("min.cleanable.dirty.ratio", 0.01);
        props.put("delete.retention.ms", deleteRetentionMs);
        props.put("message.timestamp.after.max.ms", Long.MAX_VALUE);
        return LogConfig.fromProperties(props);
    }

    /** The cleaner settings of a test: no threads (the test calls cleanOnce), a 1 MiB map. */
    static CleanerConfig cleanerConfig() {
        return new CleanerConfig(false, 1, 1024 * 1024, 64 * 1024, 0.9, Double.MAX_VALUE, 15_000L);
    }

    /**
     * One batch of records {@code keysAndValues[0] = keysAndValues[1]}, ...; a null value is a
     * tombstone, a null key a record without key.
     */
    static ByteBuffer batch(Compression compression, long producerId, short epoch, int baseSequence, long timestamp,
                            String... keysAndValues) {
        ByteBuffer buffer = ByteBuffer.allocate(1024 + keysAndValues.length * 64);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V2, compression,
                TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP, producerId, epoch, baseSequence,
                false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.append(timestamp + i, bytes(keysAndValues[i]), bytes(keysAndValues[i + 1]));
        }
        ByteBuffer built = builder.build().buffer();
        ByteBuffer copy = ByteBuffer.allocate(built.remaining());
        copy.put(built).flip();
        return copy;
    }

    static ByteBuffer batch(long timestamp, String... keysAndValues) {
        return batch(Compression.NONE, -1L, (short) -1, -1, timestamp, keysAndValues);
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Every record of the partition folder's segments, as Kafka's FileRecords reads them (CRC checked). */
    static List<KeyValue> read(Path partitionDir) throws IOException {
        List<KeyValue> all = new ArrayList<>();
        for (Path file : LogTestSupport.segmentFiles(partitionDir).values()) {
            try (FileRecords records = FileRecords.open(file.toFile(), false)) {
                for (FileLogInputStream.FileChannelRecordBatch batch : records.batches()) {
                    batch.ensureValid();
                    for (Record r : batch) {
                        all.add(new KeyValue(r.offset(), string(r.key()), string(r.value())));
                    }
                }
            }
        }
        return all;
    }

    /** Every batch of the partition folder's segments, as Kafka reads them. */
    static List<RecordBatch> batches(Path partitionDir) throws IOException {
        List<RecordBatch> all = new ArrayList<>();
        for (Path file : LogTestSupport.segmentFiles(partitionDir).values()) {
            try (FileRecords records = FileRecords.open(file.toFile(), false)) {
                for (FileLogInputStream.FileChannelRecordBatch batch : records.batches()) {
                    batch.ensureValid();
                    all.add(batch);
                }
            }
        }
        return all;
    }

    /** The latest value of each key among {@code records} (a tombstone removes the key), in key order of first write. */
    static Map<String, String> latest(List<KeyValue> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (KeyValue kv : records) {
            if (kv.value() == null) {
                latest.remove(kv.key());
            } else {
                latest.put(kv.key(), kv.value());
            }
        }
        return latest;
    }
}
