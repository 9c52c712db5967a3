package io.fjord.perf;

import io.fjord.log.LogConfig;
import io.fjord.log.PartitionLog;
import io.fjord.protocol.record.RecordBatchBuilder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Batches of 1 KiB records and log configs shared by the log benchmarks. */
final class LogBenchmarkSupport {

    static final int RECORD_VALUE_BYTES = 1024;

    private LogBenchmarkSupport() {
    }

    /** An uncompressed batch of 1 KiB-value records, about {@code batchBytes} long. */
    static ByteBuffer batchOfAbout(int batchBytes, long timestamp) {
        Random random = new Random(42);
        int records = Math.max(1, batchBytes / (RECORD_VALUE_BYTES + 16));
        RecordBatchBuilder builder = new RecordBatchBuilder(0);
        for (int i = 0; i < records; i++) {
            byte[] key = new byte[8];
            byte[] value = new byte[RECORD_VALUE_BYTES];
            random.nextBytes(key);
            random.nextBytes(value);
            builder.append(timestamp + i, key, value);
        }
        ByteBuffer built = builder.build();
        ByteBuffer writable = ByteBuffer.allocate(built.remaining());
        writable.put(built).flip();
        return writable;
    }

    /** Kafka's defaults with the given segment size, room for 1 MiB batches, quick deletion. */
    static LogConfig config(int segmentBytes, long retentionBytes) {
        Map<String, Object> props = new HashMap<>();
        props.put("segment.bytes", segmentBytes);
        props.put("max.message.bytes", 2 * 1024 * 1024);
        props.put("retention.bytes", retentionBytes);
        props.put("file.delete.delay.ms", 0);
        return LogConfig.fromProperties(props);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!java.nio.file.Files.exists(path)) {
            return;
        }
        try (var walk = java.nio.file.Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    static Path partitionDir(Path root) {
        return root.resolve(PartitionLog.dirName(new io.fjord.api.TopicPartition("bench", 0)));
    }
}
