package io.fjord.clustertests;

import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One broker's copy of a topic's partitions, read straight from its data folder after the broker
 * stopped: the records of every {@code .log} segment through Kafka's own {@link FileRecords} (an
 * oracle independent of Fjord's log classes), the high watermark from
 * {@code replication-offset-checkpoint} and the {@code leader-epoch-checkpoint} entries.
 *
 * <p>Invariant: a replica's records are keyed by offset; a segment that holds an offset twice is
 * reported, never silently overwritten.
 */
final class ReplicaLogs {

    /** An entry of a leader-epoch checkpoint: from {@code startOffset} on, records were written in {@code epoch}. */
    record EpochEntry(int epoch, long startOffset) {
    }

    /** A partition as one replica holds it; {@code highWatermark} is -1 when the broker checkpointed none. */
    record Replica(int broker, int partition, NavigableMap<Long, String> records, long highWatermark,
            List<EpochEntry> epochs, List<String> problems) {
    }

    private ReplicaLogs() {
    }

    /** Reads partitions {@code 0..partitions-1} of {@code topic} from a stopped broker's data folder. */
    static List<Replica> read(int broker, Path dataDir, String topic, int partitions) throws IOException {
        Map<Integer, Long> highWatermarks = highWatermarks(dataDir.resolve("replication-offset-checkpoint"), topic);
        List<Replica> out = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            Path dir = dataDir.resolve(topic + "-" + p);
            NavigableMap<Long, String> records = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            List<EpochEntry> epochs = List.of();
            if (Files.isDirectory(dir)) {
                for (Path segment : segments(dir)) {
                    readSegment(segment, records, problems);
                }
                epochs = epochs(dir.resolve("leader-epoch-checkpoint"));
            }
            out.add(new Replica(broker, p, records, highWatermarks.getOrDefault(p, -1L), epochs, problems));
        }
        return out;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    private static void readSegment(Path segment, NavigableMap<Long, String> into, List<String> problems)
            throws IOException {
        try (FileRecords file = FileRecords.open(segment.toFile(), false)) {
            for (RecordBatch batch : file.batches()) {
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record r : batch) {
                    String value = r.hasValue() ? StandardCharsets.UTF_8.decode(r.value()).toString() : null;
                    String was = into.put(r.offset(), value);
                    if (was != null) {
                        problems.add(segment.getFileName() + " holds offset " + r.offset() + " twice: " + was + ", "
                                + value);
                    }
                }
            }
        }
    }

    /** Kafka's offset checkpoint: a version line, a count line, then "topic partition offset" lines. */
    static Map<Integer, Long> highWatermarks(Path file, String topic) throws IOException {
        Map<Integer, Long> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals(topic)) {
                out.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
            }
        }
        return out;
    }

    /** Kafka's leader-epoch checkpoint: a version line, a count line, then "epoch startOffset" lines. */
    static List<EpochEntry> epochs(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<EpochEntry> out = new ArrayList<>();
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            String[] f = line.trim().split(" ");
            if (f.length == 2) {
                out.add(new EpochEntry(Integer.parseInt(f[0]), Long.parseLong(f[1])));
            }
        }
        return out;
    }
}
