package io.fjord.log;

import io.fjord.api.TopicPartition;
import io.fjord.common.Time;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The log cleaner of a broker: {@code log.cleaner.threads} threads that each take the dirtiest
 * compacted log ({@link LogToClean}), clean it ({@link Cleaner}) and record where its dirty
 * section now starts in the log dir's {@value #CHECKPOINT_FILE} file, then look again, pausing
 * {@code log.cleaner.backoff.ms} when no log needs it. A log also becomes due when a tombstone it
 * kept reaches its delete horizon.
 *
 * <p>Invariants: a log is cleaned by at most one thread at a time ({@link #inProgress}); a
 * paused log is not picked; a checkpointed first dirty offset never passes what a finished
 * cleaning covered. {@link #abortAndPause} waits until no thread cleans the log, so the log can
 * be deleted under it. State is guarded by {@code this}; the cleaning itself runs outside.
 */
public final class LogCleaner {

    /** Kafka's file of first dirty offsets, one per log dir. */
    public static final String CHECKPOINT_FILE = "cleaner-offset-checkpoint";

    private static final Logger LOG = Logger.getLogger(LogCleaner.class.getName());

    private final CleanerConfig config;
    private final List<Path> logDirs;
    private final Supplier<Collection<PartitionLog>> logs;
    private final Time time;
    private final Throttler throttler;
    private final Map<TopicPartition, Long> firstDirtyOffsets = new HashMap<>();
    private final Map<TopicPartition, Long> horizons = new HashMap<>();
    private final Set<TopicPartition> inProgress = new HashSet<>();
    private final Set<TopicPartition> aborting = new HashSet<>();
    private final Set<TopicPartition> paused = new HashSet<>();
    private final Set<TopicPartition> uncleanable = new HashSet<>();
    private final Map<TopicPartition, CleanerStats> lastStats = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Object checkpointLock = new Object();
    private Cleaner callerCleaner;
    private volatile boolean running;

    /**
     * @param logs every log of the broker, asked afresh at each pick
     */
    public LogCleaner(CleanerConfig config, List<Path> logDirs, Supplier<Collection<PartitionLog>> logs, Time time) {
        this.config = config;
        this.logDirs = List.copyOf(logDirs);
        this.logs = logs;
        this.time = time;
        this.throttler = new Throttler(config.maxIoBytesPerSecond(), time);
    }

    /** Reads the checkpoints and, with {@code log.cleaner.enable}, starts the threads. */
    public synchronized void startup() throws IOException {
        for (Path dir : logDirs) {
            firstDirtyOffsets.putAll(new OffsetCheckpointFile(dir.resolve(CHECKPOINT_FILE)).read());
        }
        if (!config.enabled()) {
            return;
        }
        running = true;
        for (int i = 0; i < config.threads(); i++) {
            Thread t = new Thread(this::run, "log-cleaner-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /**
     * Stops the threads (a cleaning in progress is abandoned at its next batch; its files are
     * undone) and writes the checkpoints. The threads are never interrupted: an interrupt during
     * file I/O would close a segment's channel for its readers too.
     */
    public void shutdown() throws InterruptedException {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        for (Thread t : threads) {
            t.join();
        }
        threads.clear();
        writeCheckpoints();
    }

    private void run() {
        // Each thread's map is allocated on its first cleaning: a broker without a dirty
        // compacted log never pays for it.
        Cleaner cleaner = null;
        while (running) {
            try {
                LogToClean picked = pick();
                if (picked == null) {
                    synchronized (this) {
                        if (running) {
                            wait(Math.max(1, config.backoffMs()));
                        }
                    }
                    continue;
                }
                if (cleaner == null) {
                    cleaner = new Cleaner(config, throttler, time);
                }
                cleanPicked(cleaner, picked);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Cleans the dirtiest log that needs it on the calling thread (tests drive the cleaner this
     * way with a controlled clock and {@code log.cleaner.enable=false}).
     *
     * @return what the cleaning did, or null if no log needed one
     */
    public CleanerStats cleanOnce() throws InterruptedException {
        LogToClean picked = pick();
        if (picked == null) {
            return null;
        }
        synchronized (this) {
            if (callerCleaner == null) {
                callerCleaner = new Cleaner(config, throttler, time);
            }
        }
        return cleanPicked(callerCleaner, picked);
    }

    /** For tests: the cleaner {@link #cleanOnce()} uses, to stop a swap between two steps. */
    synchronized Cleaner callerCleaner() {
        if (callerCleaner == null) {
            callerCleaner = new Cleaner(config, throttler, time);
        }
        return callerCleaner;
    }

    private CleanerStats cleanPicked(Cleaner cleaner, LogToClean picked) throws InterruptedException {
        TopicPartition tp = picked.log().topicPartition();
        LOG.info(() -> String.format("Building offset map of %s from offset %d to %d, dirty ratio %.2f", tp,
                picked.firstDirtyOffset(), picked.firstUncleanableOffset(), picked.dirtyRatio()));
        try {
            CleanerStats stats = cleaner.clean(picked, () -> isAborting(tp));
            lastStats.put(tp, stats);
            LOG.info(stats.toString());
            synchronized (this) {
                firstDirtyOffsets.put(tp, stats.endOffset());
                long horizon = cleaner.earliestHorizonMs();
                if (horizon == Long.MAX_VALUE) {
                    horizons.remove(tp);
                } else {
                    horizons.put(tp, horizon);
                }
            }
            writeCheckpoint(picked.log().dir().getParent());
            return stats;
        } catch (Cleaner.AbortedException e) {
            return null;
        } catch (ClosedChannelException e) {
            // Retention removed a segment the cleaning was reading: nothing was swapped, try again later.
            LOG.info("Cleaning " + tp + " stopped: a segment it read was deleted meanwhile");
            return null;
        } catch (IOException | RuntimeException e) {
            // Kafka's rule: a log the cleaner fails on is not tried again until the broker restarts.
            LOG.log(Level.WARNING, "Cleaning " + tp + " failed; it will not be cleaned again until a restart", e);
            synchronized (this) {
                uncleanable.add(tp);
            }
            return null;
        } finally {
            synchronized (this) {
                inProgress.remove(tp);
                notifyAll();
            }
        }
    }

    /** The compacted log with the highest dirty ratio among those that need cleaning; marks it in progress. */
    private synchronized LogToClean pick() {
        long now = time.milliseconds();
        LogToClean best = null;
        for (PartitionLog log : logs.get()) {
            TopicPartition tp = log.topicPartition();
            if (!log.config().compact() || inProgress.contains(tp) || paused.contains(tp) || uncleanable.contains(tp)) {
                continue;
            }
            long firstDirty = firstDirtyOffsets.getOrDefault(tp, log.logStartOffset());
            if (firstDirty < log.logStartOffset() || firstDirty > log.logEndOffset()) {
                // Like Kafka: a checkpoint outside the log (truncated, or deleted and re-created) starts over.
                firstDirty = log.logStartOffset();
            }
            LogToClean candidate;
            try {
                candidate = LogToClean.of(log, firstDirty, now);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Reading the segments of " + tp + " failed", e);
                continue;
            }
            boolean horizonPassed = horizons.getOrDefault(tp, Long.MAX_VALUE) <= now;
            if (!candidate.isCleanable() && !horizonPassed) {
                continue;
            }
            if (best == null || candidate.dirtyRatio() > best.dirtyRatio()) {
                best = candidate;
            }
        }
        if (best != null) {
            inProgress.add(best.log().topicPartition());
        }
        return best;
    }

    private synchronized boolean isAborting(TopicPartition tp) {
        return aborting.contains(tp) || !running && !threads.isEmpty();
    }

    /**
     * Stops any cleaning of the partition, waits until none runs and keeps the cleaner away from
     * it until {@link #resume}; used before its log is deleted.
     */
    public synchronized void abortAndPause(TopicPartition tp) throws InterruptedException {
        paused.add(tp);
        aborting.add(tp);
        try {
            while (inProgress.contains(tp)) {
                wait();
            }
        } finally {
            aborting.remove(tp);
        }
    }

    /** Lets the cleaner take the partition again. */
    public synchronized void resume(TopicPartition tp) {
        paused.remove(tp);
    }

    /** Forgets a deleted partition: its first dirty offset, horizon and state. */
    public void forget(TopicPartition tp, Path logDir) {
        synchronized (this) {
            firstDirtyOffsets.remove(tp);
            horizons.remove(tp);
            paused.remove(tp);
            uncleanable.remove(tp);
            lastStats.remove(tp);
        }
        writeCheckpoint(logDir);
    }

    /**
     * Moves the partition's first dirty offset down to {@code logEndOffset} after a truncation
     * (Kafka's maybeTruncateCheckpoint): offsets appended there later are dirty, not clean.
     */
    public void maybeTruncateCheckpoint(TopicPartition tp, Path logDir, long logEndOffset) {
        synchronized (this) {
            Long firstDirty = firstDirtyOffsets.get(tp);
            if (firstDirty == null || firstDirty <= logEndOffset) {
                return;
            }
            firstDirtyOffsets.put(tp, logEndOffset);
        }
        writeCheckpoint(logDir);
    }

    /** What the last cleaning of the partition did, or null. */
    public CleanerStats lastStats(TopicPartition tp) {
        return lastStats.get(tp);
    }

    /**
     * When the earliest tombstone the last cleaning of the partition kept may go (its batch's
     * delete horizon), the moment the log becomes due again; -1 if it kept none.
     */
    public synchronized long pendingDeleteHorizonMs(TopicPartition tp) {
        return horizons.getOrDefault(tp, -1L);
    }

    /** Where the partition's dirty section starts, as checkpointed; -1 if it was never cleaned. */
    public synchronized long firstDirtyOffset(TopicPartition tp) {
        return firstDirtyOffsets.getOrDefault(tp, -1L);
    }

    private void writeCheckpoints() {
        for (Path dir : logDirs) {
            writeCheckpoint(dir);
        }
    }

    private void writeCheckpoint(Path logDir) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (PartitionLog log : logs.get()) {
            if (logDir.equals(log.dir().getParent())) {
                synchronized (this) {
                    Long offset = firstDirtyOffsets.get(log.topicPartition());
                    if (offset != null) {
                        offsets.put(log.topicPartition(), offset);
                    }
                }
            }
        }
        try {
            synchronized (checkpointLock) {
                new OffsetCheckpointFile(logDir.resolve(CHECKPOINT_FILE)).write(offsets);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Writing " + logDir.resolve(CHECKPOINT_FILE) + " failed", e);
        }
    }
}
