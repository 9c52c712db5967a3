package io.fjord.log;

import io.fjord.common.Time;
import io.fjord.common.Scheduler;
import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.record.CodecRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every partition log of a broker, spread over one or more log dirs.
 *
 * <p>A log dir holds one folder per partition, Kafka's checkpoint files
 * ({@value OffsetCheckpointFile#RECOVERY_POINT}, {@value OffsetCheckpointFile#LOG_START_OFFSET},
 * {@value OffsetCheckpointFile#HIGH_WATERMARK}) and, between a clean shutdown and the next
 * start, the marker {@value #CLEAN_SHUTDOWN_FILE}. Without the marker every log recovers from its
 * checkpointed recovery point. Folders ending in {@code -delete} are partitions being deleted
 * and are removed, never loaded.
 *
 * <p>Lifecycle: {@link #startup()} loads all logs in parallel ({@code
 * num.recovery.threads.per.data.dir} threads per dir), removes the markers and schedules the
 * background jobs (retention, flush, checkpoints) on the given {@link Scheduler} and the
 * {@link LogCleaner} of compacted logs; {@link #shutdown()} stops the cleaner, cancels the jobs,
 * closes every log cleanly (in parallel, as it loads them), writes the checkpoints and then
 * the markers.
 */
public final class LogManager {

    /** Kafka's clean-shutdown marker file name. */
    public static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";

    private static final Logger LOG = Logger.getLogger(LogManager.class.getName());

    private final List<Path> logDirs;
    private final Function<TopicPartition, LogConfig> configs;
    private final LogManagerConfig managerConfig;
    private final Time time;
    private final Scheduler scheduler;
    private final CodecRegistry codecs;
    private final LogCleaner cleaner;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final List<Scheduler.Cancellable> jobs = new ArrayList<>();
    private final Object createLock = new Object();
    /** Partition logs per log dir, for placing new ones without a pass over every log; under {@link #createLock}. */
    private final Map<Path, Integer> logsPerDir = new HashMap<>();
    private volatile boolean started;

    /**
     * @param configs the config of each partition's topic (defaults merged by the caller)
     */
    public LogManager(List<Path> logDirs, Function<TopicPartition, LogConfig> configs, LogManagerConfig managerConfig,
                      Time time, Scheduler scheduler) {
        this(logDirs, configs, managerConfig, CleanerConfig.defaults(), CodecRegistry.NONE, time, scheduler);
    }

    /**
     * @param configs the config of each partition's topic (defaults merged by the caller)
     * @param cleanerConfig the {@code log.cleaner.*} settings
     * @param codecs the codecs compacted logs read compressed records with
     */
    public LogManager(List<Path> logDirs, Function<TopicPartition, LogConfig> configs, LogManagerConfig managerConfig,
                      CleanerConfig cleanerConfig, CodecRegistry codecs, Time time, Scheduler scheduler) {
        if (logDirs.isEmpty()) {
            throw new IllegalArgumentException("at least one log dir is needed");
        }
        this.logDirs = List.copyOf(logDirs);
        this.configs = configs;
        this.managerConfig = managerConfig;
        this.time = time;
        this.scheduler = scheduler;
        this.codecs = codecs;
        this.cleaner = new LogCleaner(cleanerConfig, this.logDirs, this::allLogs, time);
    }

    /** Loads every partition log and starts the background jobs. */
    public void startup() throws IOException {
        ExecutorService pool = recoveryPool();
        try {
            List<Future<PartitionLog>> loading = new ArrayList<>();
            for (Path logDir : logDirs) {
                Files.createDirectories(logDir);
                boolean clean = Files.exists(logDir.resolve(CLEAN_SHUTDOWN_FILE));
                Map<TopicPartition, Long> recoveryPoints = readCheckpoint(logDir, OffsetCheckpointFile.RECOVERY_POINT);
                Map<TopicPartition, Long> logStarts = readCheckpoint(logDir, OffsetCheckpointFile.LOG_START_OFFSET);
                Map<TopicPartition, Long> highWatermarks = readCheckpoint(logDir, OffsetCheckpointFile.HIGH_WATERMARK);
                try (DirectoryStream<Path> children = Files.newDirectoryStream(logDir, Files::isDirectory)) {
                    for (Path child : children) {
                        String name = child.getFileName().toString();
                        if (LocalLog.isDeletedDirName(name)) {
                            scheduler.schedule("delete-log", () -> deleteQuietly(child), 0, 0);
                            continue;
                        }
                        TopicPartition tp = PartitionLog.parseDirName(name);
                        if (tp == null) {
                            continue;
                        }
                        loading.add(pool.submit(() -> {
                            PartitionLog log = PartitionLog.open(child, tp, configs.apply(tp),
                                    recoveryPoints.getOrDefault(tp, 0L), logStarts.getOrDefault(tp, 0L), clean,
                                    time, scheduler, codecs);
                            log.updateHighWatermark(highWatermarks.getOrDefault(tp, log.logStartOffset()));
                            log.onTruncation(this::afterTruncation);
                            return log;
                        }));
                    }
                }
            }
            for (Future<PartitionLog> f : loading) {
                PartitionLog log = await(f, "loading a log");
                PartitionLog previous = logs.put(log.topicPartition(), log);
                if (previous != null) {
                    throw new IOException("partition " + log.topicPartition() + " exists in two log dirs: "
                            + previous.dir() + " and " + log.dir());
                }
                synchronized (createLock) {
                    logsPerDir.merge(log.dir().getParent(), 1, Integer::sum);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        for (Path logDir : logDirs) {
            Files.deleteIfExists(logDir.resolve(CLEAN_SHUTDOWN_FILE));
        }
        // The recovery points moved during load: record them before anything else can crash.
        checkpointAll();
        scheduleJobs();
        cleaner.startup();
        started = true;
    }

    /** The threads that load logs at start and close them at shutdown: {@code num.recovery.threads.per.data.dir} per dir. */
    private ExecutorService recoveryPool() {
        return Executors.newFixedThreadPool(logDirs.size() * managerConfig.recoveryThreadsPerDataDir(), r -> {
            Thread t = new Thread(r, "log-recovery");
            t.setDaemon(true);
            return t;
        });
    }

    private static <T> T await(Future<T> f, String what) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(what + " failed", e.getCause());
        }
    }

    private Map<TopicPartition, Long> readCheckpoint(Path logDir, String name) {
        try {
            return new OffsetCheckpointFile(logDir.resolve(name)).read();
        } catch (IOException e) {
            // Like Kafka: an unreadable checkpoint means "recover everything", never "refuse to start".
            LOG.log(Level.WARNING, "ignoring unreadable checkpoint " + logDir.resolve(name), e);
            return new HashMap<>();
        }
    }

    private void scheduleJobs() {
        synchronized (jobs) {
            jobs.add(scheduler.schedule("log-retention", this::cleanupLogs,
                    managerConfig.retentionCheckIntervalMs(), managerConfig.retentionCheckIntervalMs()));
            if (managerConfig.flushCheckIntervalMs() < Long.MAX_VALUE) {
                jobs.add(scheduler.schedule("log-flusher", this::flushDirtyLogs,
                        managerConfig.flushCheckIntervalMs(), managerConfig.flushCheckIntervalMs()));
            }
            jobs.add(scheduler.schedule("recovery-point-checkpoint",
                    () -> checkpoint(OffsetCheckpointFile.RECOVERY_POINT, PartitionLog::recoveryPoint),
                    managerConfig.recoveryPointCheckpointIntervalMs(), managerConfig.recoveryPointCheckpointIntervalMs()));
            jobs.add(scheduler.schedule("log-start-offset-checkpoint",
                    () -> checkpoint(OffsetCheckpointFile.LOG_START_OFFSET, PartitionLog::logStartOffset),
                    managerConfig.logStartOffsetCheckpointIntervalMs(),
                    managerConfig.logStartOffsetCheckpointIntervalMs()));
            jobs.add(scheduler.schedule("producer-expiration", this::removeExpiredProducers,
                    managerConfig.producerIdExpirationCheckIntervalMs(),
                    managerConfig.producerIdExpirationCheckIntervalMs()));
            jobs.add(scheduler.schedule("high-watermark-checkpoint",
                    () -> checkpoint(OffsetCheckpointFile.HIGH_WATERMARK, PartitionLog::highWatermark),
                    managerConfig.highWatermarkCheckpointIntervalMs(), managerConfig.highWatermarkCheckpointIntervalMs()));
        }
    }

    /** The log of a partition, or null. */
    public PartitionLog getLog(TopicPartition tp) {
        return logs.get(tp);
    }

    public Collection<PartitionLog> allLogs() {
        return List.copyOf(logs.values());
    }

    /** The partition's log, created in the log dir with the fewest partitions if it does not exist. */
    public PartitionLog getOrCreateLog(TopicPartition tp) throws IOException {
        PartitionLog existing = logs.get(tp);
        if (existing != null) {
            return existing;
        }
        synchronized (createLock) {
            existing = logs.get(tp);
            if (existing != null) {
                return existing;
            }
            Path logDir = leastLoadedDir();
            PartitionLog log = PartitionLog.open(logDir.resolve(PartitionLog.dirName(tp)), tp, configs.apply(tp),
                    0L, 0L, true, time, scheduler, codecs);
            log.onTruncation(this::afterTruncation);
            logs.put(tp, log);
            logsPerDir.merge(logDir, 1, Integer::sum);
            return log;
        }
    }

    /** The first log dir with the fewest partitions; under {@link #createLock}. */
    private Path leastLoadedDir() {
        Path best = logDirs.get(0);
        for (Path d : logDirs) {
            if (logsPerDir.getOrDefault(d, 0) < logsPerDir.getOrDefault(best, 0)) {
                best = d;
            }
        }
        return best;
    }

    /** Deletes a partition's log (folder renamed at once, files removed after {@code file.delete.delay.ms}). */
    public boolean deleteLog(TopicPartition tp) throws IOException {
        PartitionLog log;
        synchronized (createLock) {
            log = logs.remove(tp);
            if (log != null) {
                logsPerDir.merge(log.dir().getParent(), -1, Integer::sum);
            }
        }
        if (log == null) {
            return false;
        }
        Path logDir = log.dir().getParent();
        try {
            cleaner.abortAndPause(tp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the cleaning of " + tp, e);
        }
        log.delete();
        cleaner.forget(tp, logDir);
        checkpointAll();
        return true;
    }

    /** The log cleaner: its stats, and {@link LogCleaner#cleanOnce()} for tests. */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /** One retention pass over every log (the {@code log-retention} job). */
    public int cleanupLogs() {
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            try {
                deleted += log.deleteOldSegments();
            } catch (LogException e) {
                LOG.log(Level.WARNING, "retention of " + log.topicPartition() + " failed", e);
            }
        }
        return deleted;
    }

    /** Forgets idle idempotent producers in every log (the {@code producer-expiration} job). */
    public void removeExpiredProducers() {
        for (PartitionLog log : logs.values()) {
            log.removeExpiredProducers(managerConfig.producerIdExpirationMs());
        }
    }

    /** Flushes logs whose {@code flush.ms} is due (the {@code log-flusher} job). */
    public void flushDirtyLogs() {
        for (PartitionLog log : logs.values()) {
            try {
                log.flushIfDue();
            } catch (LogException e) {
                LOG.log(Level.WARNING, "flush of " + log.topicPartition() + " failed", e);
            }
        }
    }

    /**
     * After a log was truncated, as Kafka's manager does: its recovery point came down, so the
     * checkpoint is rewritten at once (a restart must re-validate what is appended past the cut),
     * and the cleaner's first dirty offset comes down with the log end.
     */
    private void afterTruncation(PartitionLog log) {
        cleaner.maybeTruncateCheckpoint(log.topicPartition(), log.dir().getParent(), log.logEndOffset());
        try {
            checkpoint(OffsetCheckpointFile.RECOVERY_POINT, PartitionLog::recoveryPoint);
        } catch (UncheckedIOException e) {
            throw new LogException(Errors.KAFKA_STORAGE_ERROR, "Checkpointing after the truncation of "
                    + log.topicPartition() + " failed: " + e.getMessage(), e);
        }
    }

    /** Writes all three checkpoint files of every log dir. */
    public void checkpointAll() {
        checkpoint(OffsetCheckpointFile.RECOVERY_POINT, PartitionLog::recoveryPoint);
        checkpoint(OffsetCheckpointFile.LOG_START_OFFSET, PartitionLog::logStartOffset);
        checkpoint(OffsetCheckpointFile.HIGH_WATERMARK, PartitionLog::highWatermark);
    }

    private void checkpoint(String fileName, Function<PartitionLog, Long> value) {
        for (Path logDir : logDirs) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (PartitionLog log : logs.values()) {
                if (logDir.equals(log.dir().getParent())) {
                    offsets.put(log.topicPartition(), value.apply(log));
                }
            }
            try {
                new OffsetCheckpointFile(logDir.resolve(fileName)).write(offsets);
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + logDir.resolve(fileName) + " failed", e);
            }
        }
    }

    /** Stops the jobs, closes every log cleanly, writes the checkpoints and the clean-shutdown markers. */
    public void shutdown() throws IOException {
        synchronized (jobs) {
            for (Scheduler.Cancellable job : jobs) {
                job.cancel();
            }
            jobs.clear();
        }
        if (!started) {
            return;
        }
        try {
            cleaner.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the log cleaner", e);
        }
        // Closing flushes each log's files and snapshots its producers, several fsyncs per partition:
        // they run on the loading threads, as Kafka's do, rather than one partition after another.
        ExecutorService pool = recoveryPool();
        IOException failed = null;
        try {
            List<Future<Void>> closing = new ArrayList<>();
            for (PartitionLog log : logs.values()) {
                closing.add(pool.submit(() -> {
                    log.close();
                    return null;
                }));
            }
            for (Future<Void> f : closing) {
                try {
                    await(f, "closing a log");
                } catch (IOException e) {
                    failed = failed == null ? e : failed; // the others still close
                }
            }
        } finally {
            pool.shutdown();
        }
        if (failed != null) {
            throw failed; // no clean-shutdown marker: the next start recovers
        }
        checkpointAll();
        for (Path logDir : logDirs) {
            Files.write(logDir.resolve(CLEAN_SHUTDOWN_FILE),
                    "{\"version\":0,\"brokerEpoch\":-1}".getBytes(StandardCharsets.UTF_8));
            OffsetCheckpointFile.fsyncDirectory(logDir);
        }
        started = false;
    }

    private static void deleteQuietly(Path dir) {
        try {
            LocalLog.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not delete " + dir, e);
        }
    }
}
