package io.fjord.log;

import io.fjord.common.Time;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * Start-up of one partition log: turns the files of its folder back into the segments, offsets,
 * leader epochs and producer state the log starts with.
 *
 * <p>Steps, in order: a cleaner's swap cut short by a crash is finished or undone (see
 * {@link #completeOrDiscardSwap}); files left by an interrupted deletion or write ({@code .deleted},
 * {@code .tmp}) and index files without their {@code .log} are deleted; every segment is opened;
 * segments are recovered (see {@link #recoverSegments}); a first segment is created at the
 * checkpointed log start if none is left; the active segment's indexes grow back to their
 * preallocated size; the leader epochs are read, or rebuilt from the batches, and cut to the log;
 * the producer state is loaded from its newest snapshot and the batches after it.
 *
 * <p>Invariants of the result: at least one segment; {@code logStartOffset <= logEndOffset};
 * everything below the log end offset is on disk (segments past the recovery point were
 * re-validated and fsynced, the others already were), so the log's recovery point starts there.
 * Runs before the log is shared, so it takes no lock.
 */
final class LogLoader {

    private final Path dir;
    private final LogConfig config;
    private final Time time;

    LogLoader(Path dir, LogConfig config, Time time) {
        this.dir = dir;
        this.config = config;
        this.time = time;
    }

    /**
     * What a partition log starts with.
     *
     * @param logStartOffset the checkpointed log start, raised to the first segment's base offset
     *     and capped at the log end offset
     * @param logEndOffset the offset after the last batch
     */
    record LoadedLog(LogSegments segments, long logStartOffset, long logEndOffset,
                     ProducerStateManager producerState, LeaderEpochCache epochCache) {
    }

    /**
     * @param checkpointedRecoveryPoint the checkpointed offset below which data is known to be on disk
     * @param checkpointedLogStart the checkpointed log start offset (0 if unknown)
     * @param hadCleanShutdown whether the broker wrote its clean-shutdown marker
     */
    LoadedLog load(long checkpointedRecoveryPoint, long checkpointedLogStart, boolean hadCleanShutdown)
            throws IOException {
        TreeSet<Long> baseOffsets = deleteLeftoversAndListSegments();
        List<LogSegment> loaded = new ArrayList<>();
        try {
            for (long base : baseOffsets) {
                loaded.add(LogSegment.open(dir, base, config));
            }
            recoverSegments(loaded, checkpointedRecoveryPoint, hadCleanShutdown);
            if (loaded.isEmpty()) {
                loaded.add(LogSegment.create(dir, Math.max(0, checkpointedLogStart), config, time.milliseconds()));
            }
        } catch (IOException | RuntimeException e) {
            for (LogSegment s : loaded) {
                s.close();
            }
            throw e;
        }
        LogSegment active = loaded.get(loaded.size() - 1);
        active.resizeIndexes(config.segmentIndexBytes());
        LogSegments segments = new LogSegments(loaded);
        long logEndOffset = active.readNextOffset();
        long logStartOffset = Math.min(Math.max(checkpointedLogStart, segments.first().baseOffset()), logEndOffset);
        LeaderEpochCache epochCache = loadLeaderEpochs(segments, logStartOffset, logEndOffset);
        ProducerStateManager producerState = rebuildProducerState(segments, logStartOffset, logEndOffset);
        return new LoadedLog(segments, logStartOffset, logEndOffset, producerState, epochCache);
    }

    /** Deletes what a crash or an interrupted deletion left behind; returns the base offsets of the segments. */
    private TreeSet<Long> deleteLeftoversAndListSegments() throws IOException {
        completeOrDiscardSwap();
        TreeSet<Long> baseOffsets = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")) {
                    // Left over from a deletion or a write interrupted by the crash.
                    Files.deleteIfExists(file);
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    Long base = parseBaseOffset(name, LogSegment.LOG_SUFFIX);
                    if (base != null) {
                        baseOffsets.add(base);
                    }
                }
            }
        }
        // Index files whose .log is gone are orphans.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*{.index,.timeindex}")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Long base = parseBaseOffset(name, name.endsWith(LogSegment.INDEX_SUFFIX)
                        ? LogSegment.INDEX_SUFFIX : LogSegment.TIME_INDEX_SUFFIX);
                if (base != null && !baseOffsets.contains(base)) {
                    Files.deleteIfExists(file);
                }
            }
        }
        return baseOffsets;
    }

    /**
     * Finishes or undoes a cleaner's swap cut short by a crash, as Kafka's loader does. A
     * {@code .cleaned} file means the cleaned segment was not yet complete: it goes, with every
     * {@code .swap} file at or above its base offset (their renaming was cut short, so the old
     * segments are all still there). The remaining {@code .swap} files are complete: the old
     * segment files in the offsets the swapped {@code .log} covers go, and the suffix is dropped.
     */
    private void completeOrDiscardSwap() throws IOException {
        long minCleaned = Long.MAX_VALUE;
        List<Path> swaps = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*{.cleaned,.swap}")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.CLEANED_SUFFIX)) {
                    minCleaned = Math.min(minCleaned, baseOffsetOf(name));
                    Files.delete(file);
                } else {
                    swaps.add(file);
                }
            }
        }
        long minSwap = Long.MAX_VALUE;
        long maxSwap = Long.MIN_VALUE;
        for (Iterator<Path> it = swaps.iterator(); it.hasNext(); ) {
            Path swap = it.next();
            String name = swap.getFileName().toString();
            long base = baseOffsetOf(name);
            if (base >= minCleaned) {
                Files.delete(swap);
                it.remove();
            } else if (name.endsWith(LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX)) {
                minSwap = Math.min(minSwap, base);
                // Cover the base itself too: a swapped segment may have kept nothing.
                maxSwap = Math.max(maxSwap, Math.max(base + 1, nextOffsetOf(swap, base)));
            }
        }
        if (swaps.isEmpty()) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*{.log,.index,.timeindex}")) {
            for (Path file : files) {
                long base = baseOffsetOf(file.getFileName().toString());
                if (base >= minSwap && base < maxSwap) {
                    Files.delete(file);
                }
            }
        }
        for (Path swap : swaps) {
            String name = swap.getFileName().toString();
            Files.move(swap, swap.resolveSibling(name.substring(0, name.length() - LogSegment.SWAP_SUFFIX.length())),
                    StandardCopyOption.ATOMIC_MOVE);
        }
        OffsetCheckpointFile.fsyncDirectory(dir);
    }

    /** The base offset a segment file's name starts with, or -1 for another name. */
    private static long baseOffsetOf(String name) {
        if (name.length() < 20) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The offset after the last whole batch of a segment file; {@code base} if it has none. */
    private static long nextOffsetOf(Path logFile, long base) throws IOException {
        try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ)) {
            FileBatchCursor batches = new FileBatchCursor(channel, 0, (int) Math.min(channel.size(), Integer.MAX_VALUE));
            long next = base;
            while (batches.next()) {
                next = batches.lastOffset() + 1;
            }
            return next;
        }
    }

    private static Long parseBaseOffset(String name, String suffix) {
        String digits = name.substring(0, name.length() - suffix.length());
        if (digits.length() != 20) {
            return null;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Unclean start: re-validates every segment holding offsets at or above the recovery point
     * and, after the first cut, drops every later segment. Clean start: rebuilds only indexes
     * that are missing or broken. Recovered segments are fsynced, so the recovery point can move
     * to the new end.
     */
    private void recoverSegments(List<LogSegment> loaded, long checkpointedRecoveryPoint, boolean hadCleanShutdown)
            throws IOException {
        for (int i = 0; i < loaded.size(); i++) {
            LogSegment segment = loaded.get(i);
            boolean last = i == loaded.size() - 1;
            long nextBase = last ? Long.MAX_VALUE : loaded.get(i + 1).baseOffset();
            boolean afterRecoveryPoint = nextBase > checkpointedRecoveryPoint;
            boolean needsRecovery = (!hadCleanShutdown && afterRecoveryPoint) || !segment.loadCleanState();
            if (!needsRecovery) {
                if (!last) {
                    segment.onBecomeInactive();
                }
                continue;
            }
            int truncated = segment.recover(config.segmentIndexBytes());
            segment.flush();
            if (!last) {
                segment.onBecomeInactive();
            }
            if (truncated > 0) {
                // Nothing after a damaged byte is trusted: later segments go.
                for (int j = loaded.size() - 1; j > i; j--) {
                    loaded.remove(j).closeAndDelete();
                }
                // An empty segment that is not the first is just a gap; drop it too.
                if (segment.size() == 0 && i > 0) {
                    loaded.remove(i).closeAndDelete();
                    LogSegment previous = loaded.get(i - 1);
                    LogSegment fresh = LogSegment.create(dir, previous.readNextOffset(), config, time.milliseconds());
                    loaded.add(fresh);
                }
                return;
            }
        }
    }

    /** Reads the leader-epoch file, or rebuilds it from the batches' epochs; then fits it to the log. */
    private LeaderEpochCache loadLeaderEpochs(LogSegments segments, long logStartOffset, long logEndOffset)
            throws IOException {
        LeaderEpochCache epochCache = new LeaderEpochCache(dir);
        boolean changed = false;
        if (!epochCache.load()) {
            epochCache.clear();
            for (LogSegment segment : segments.all()) {
                segment.forEachBatchFrom(segment.baseOffset(),
                        batch -> epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset()));
            }
            changed = true;
        }
        // An epoch starting at the log end itself is a leader's that had not appended yet: it stays.
        changed |= epochCache.truncateFromEnd(logEndOffset + 1);
        changed |= epochCache.truncateFromStart(logStartOffset);
        // A new partition has no file and no epochs: a missing file already says that, and writing
        // an empty one durably cost every partition of a topic's creation two fsyncs.
        if (changed && (epochCache.latestEpoch() != -1 || Files.exists(epochCache.file()))) {
            epochCache.write();
        }
        return epochCache;
    }

    /** The newest snapshot at or below the log end offset and the batches after it; see {@link ProducerStateManager#rebuild}. */
    private ProducerStateManager rebuildProducerState(LogSegments segments, long logStartOffset, long logEndOffset)
            throws IOException {
        ProducerStateManager producerState = new ProducerStateManager(dir);
        producerState.rebuild(segments, logStartOffset, logEndOffset);
        return producerState;
    }
}
