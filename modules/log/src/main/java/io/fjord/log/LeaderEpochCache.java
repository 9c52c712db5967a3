package io.fjord.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which leader epoch started at which offset in this partition, kept in the partition folder's
 * {@value #FILE_NAME} file in Kafka's text format: a version line ({@code 0}), a count line, then
 * one {@code epoch startOffset} line per epoch.
 *
 * <p>Invariants: epochs and start offsets both strictly increase; every start offset lies in
 * {@code [logStartOffset, logEndOffset]}, and only the latest epoch may start at the log end
 * offset (a leader that has not appended yet). The file is rewritten atomically (temp file,
 * fsync, rename, fsync dir) on every change, which happens only when a leader starts, when a
 * batch of a new epoch is appended, on truncation and on retention. A missing file means no
 * epochs: a new partition has none until its first leader starts. Mutated under the
 * partition's append lock only.
 */
final class LeaderEpochCache {

    static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final int VERSION = 0;

    private final Path file;
    private final TreeMap<Integer, Long> epochs = new TreeMap<>();

    LeaderEpochCache(Path dir) {
        this.file = dir.resolve(FILE_NAME);
    }

    /**
     * Reads the file.
     *
     * @return false if it is missing or malformed (the caller rebuilds the cache from the log)
     */
    boolean load() throws IOException {
        epochs.clear();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return false;
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION
                    || Integer.parseInt(lines.get(1).trim()) != lines.size() - 2) {
                return false;
            }
            int previousEpoch = -1;
            long previousOffset = -1;
            for (int i = 2; i < lines.size(); i++) {
                String[] parts = lines.get(i).split(" ");
                if (parts.length != 2) {
                    epochs.clear();
                    return false;
                }
                int epoch = Integer.parseInt(parts[0]);
                long offset = Long.parseLong(parts[1]);
                if (epoch <= previousEpoch || offset <= previousOffset) {
                    epochs.clear();
                    return false;
                }
                epochs.put(epoch, offset);
                previousEpoch = epoch;
                previousOffset = offset;
            }
            return true;
        } catch (NumberFormatException e) {
            epochs.clear();
            return false;
        }
    }

    /**
     * Records that {@code epoch} starts at {@code startOffset} if it is newer than the latest; true
     * if recorded. A latest epoch that starts at the same offset held no batch (a leader that
     * never appended): the newer epoch replaces it, as in Kafka's cache.
     */
    boolean assign(int epoch, long startOffset) {
        if (epoch < 0) {
            return false;
        }
        Map.Entry<Integer, Long> latest = epochs.lastEntry();
        if (latest != null && (epoch <= latest.getKey() || startOffset < latest.getValue())) {
            return false;
        }
        if (latest != null && startOffset == latest.getValue()) {
            epochs.remove(latest.getKey());
        }
        epochs.put(epoch, startOffset);
        return true;
    }

    /** Drops epochs that start at or after {@code endOffset} (the log was cut there; Kafka's truncateFromEnd). */
    boolean truncateFromEnd(long endOffset) {
        return epochs.values().removeIf(start -> start >= endOffset);
    }

    /**
     * Moves the start to {@code startOffset}: epochs that ended before it go, and the epoch in
     * force at it now starts there.
     */
    boolean truncateFromStart(long startOffset) {
        boolean changed = false;
        while (!epochs.isEmpty() && epochs.firstEntry().getValue() < startOffset) {
            Map.Entry<Integer, Long> first = epochs.pollFirstEntry();
            Map.Entry<Integer, Long> next = epochs.firstEntry();
            if (next == null || next.getValue() > startOffset) {
                // This epoch is still in force at the new start: it now starts there.
                epochs.put(first.getKey(), startOffset);
                return true;
            }
            changed = true;
        }
        return changed;
    }

    /** The latest epoch, or -1. */
    int latestEpoch() {
        return epochs.isEmpty() ? -1 : epochs.lastKey();
    }

    /**
     * Where {@code requestedEpoch} ended, as Kafka's leader-epoch cache answers it: the latest epoch
     * ends at {@code logEndOffset}; an older one is answered with the largest known epoch at or
     * below it and the start offset of the next known epoch; one below every known epoch is
     * answered with itself and the first epoch's start (the data before is gone). Null for the
     * undefined epoch -1 and for an epoch above every known one.
     */
    EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch == -1 || epochs.isEmpty()) {
            return null;
        }
        if (requestedEpoch == epochs.lastKey()) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        Map.Entry<Integer, Long> next = epochs.higherEntry(requestedEpoch);
        if (next == null) {
            return null;
        }
        Map.Entry<Integer, Long> floor = epochs.floorEntry(requestedEpoch);
        return new EpochEndOffset(floor == null ? requestedEpoch : floor.getKey(), next.getValue());
    }

    Path file() {
        return file;
    }

    /** Epoch to start offset, oldest first; a copy. */
    TreeMap<Integer, Long> entries() {
        return new TreeMap<>(epochs);
    }

    void clear() {
        epochs.clear();
    }

    /** Rewrites the file atomically and durably. */
    void write() throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(epochs.size()).append('\n');
        for (Map.Entry<Integer, Long> e : epochs.entrySet()) {
            text.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        OffsetCheckpointFile.writeDurably(file, text);
    }
}
