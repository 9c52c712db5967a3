package io.fjord.log;

import io.fjord.common.testing.MockTime;
import io.fjord.common.Scheduler;
import io.fjord.api.TopicPartition;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shared set-up: small segments so that a few hundred batches span many of them. */
final class LogTestSupport {

    static final TopicPartition TP = new TopicPartition("events", 3);

    private LogTestSupport() {
    }

    /** Kafka's defaults with small segments and a dense index. */
    static LogConfig smallSegments(int segmentBytes, int indexIntervalBytes) {
        Map<String, Object> props = new HashMap<>();
        props.put("segment.bytes", segmentBytes);
        props.put("index.interval.bytes", indexIntervalBytes);
        props.put("segment.index.bytes", 4096);
        props.put("message.timestamp.after.max.ms", Long.MAX_VALUE);
        return LogConfig.fromProperties(props);
    }

    static LogConfig with(LogConfig base, String key, Object value) {
        Map<String, Object> props = new HashMap<>();
        props.put("segment.bytes", base.segmentBytes());
        props.put("segment.ms", base.segmentMs());
        props.put("segment.index.bytes", base.segmentIndexBytes());
        props.put("index.interval.bytes", base.indexIntervalBytes());
        props.put("max.message.bytes", base.maxMessageBytes());
        props.put("message.timestamp.type", base.timestampType().configName);
        props.put("message.timestamp.before.max.ms", base.timestampBeforeMaxMs());
        props.put("message.timestamp.after.max.ms", base.timestampAfterMaxMs());
        props.put("flush.messages", base.flushMessages());
        props.put("flush.ms", base.flushMs());
        props.put("retention.ms", base.retentionMs());
        props.put("retention.bytes", base.retentionBytes());
        props.put("file.delete.delay.ms", base.fileDeleteDelayMs());
        props.put("cleanup.policy", base.compact() ? "compact" : "delete");
        props.put("delete.retention.ms", base.deleteRetentionMs());
        props.put("min.cleanable.dirty.ratio", base.minCleanableDirtyRatio());
        props.put("min.compaction.lag.ms", base.minCompactionLagMs());
        props.put("max.compaction.lag.ms", base.maxCompactionLagMs());
        props.put(key, value);
        return LogConfig.fromProperties(props);
    }

    static PartitionLog open(Path dir, LogConfig config, MockTime time, Scheduler scheduler) throws IOException {
        return PartitionLog.open(dir.resolve(PartitionLog.dirName(TP)), TP, config, 0L, 0L, true, time, scheduler);
    }

    /** Appends {@code batches} batches of {@code records} records each with values tagged by batch number. */
    static void appendBatches(PartitionLog log, int batches, int records, int valueBytes, long timestamp) {
        for (int b = 0; b < batches; b++) {
            log.append(Batches.plain(records, valueBytes, "b" + b, timestamp + b), 0);
        }
    }

    /** The segment .log files of a partition folder, by base offset. */
    static TreeMap<Long, Path> segmentFiles(Path partitionDir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(partitionDir, "*.log")) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                files.put(Long.parseLong(name.substring(0, 20)), p);
            }
        }
        return files;
    }

    /** Every batch of the partition, in order, as Kafka's FileRecords reads the segment files. */
    static List<Batches.StoredBatch> allBatches(Path partitionDir) throws IOException {
        List<Batches.StoredBatch> all = new ArrayList<>();
        for (Path file : segmentFiles(partitionDir).values()) {
            all.addAll(Batches.readWithKafka(file));
        }
        return all;
    }

    /** Name and bytes of every file in a folder, to prove that nothing changed. */
    static Map<String, byte[]> snapshotFiles(Path partitionDir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(partitionDir)) {
            for (Path p : stream) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }
}
