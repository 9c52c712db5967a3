package io.fjord.timer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where delayed operations wait: each parked operation is on the watch list of each of its keys
 * (a partition, a group) and in the timer. An event on a key ({@link #checkAndComplete}) retries
 * the operations watching it; the timer expires the rest.
 *
 * <p>Structure: watch lists live in {@value #SHARDS} shards by key hash; each shard has a
 * concurrent map from key to its {@code Watchers} (a lock-free queue of operations) and a lock that
 * makes "find or create the watchers and append" atomic with "drop the key if its watchers are
 * empty", so an operation is never appended to watchers that were just dropped.
 *
 * <p>Completed operations leave a watch list when a check of that key meets them, or in a purge:
 * when the operations parked since the last purge exceed the ones still in the timer by more than
 * {@code purgeInterval}, the reaper sweeps every watch list. Watch lists therefore hold at most
 * about {@code purgeInterval} completed operations per key they are watched on, plus the pending
 * ones.
 *
 * <p>Concurrency (who may complete is described in {@link DelayedOperation}):
 * <ul>
 *   <li>No lost wake-up: an operation is appended to all of its watch lists and then tried once
 *       more, under its own lock. An event whose {@code checkAndComplete} scanned a list before
 *       the append happened before that last try, which therefore sees it.</li>
 *   <li>Lock order: operation lock, then shard lock, each held briefly. {@code checkAndComplete}
 *       reads the map without the shard lock and takes only operation locks; nothing takes an
 *       operation lock while holding a shard lock.</li>
 *   <li>Publication: operations are handed between threads through the concurrent map and
 *       queues (safe publication); their own state is guarded by their lock.</li>
 * </ul>
 *
 * @param <K> the watch key type; equal keys must have equal hash codes, and keys must not change
 * @param <T> the operation type
 */
public final class Purgatory<K, T extends DelayedOperation> {

    static final int SHARDS = 512;

    /** How long the reaper waits for a bucket before it checks for a purge and for shutdown. */
    static final long REAPER_POLL_MS = 200;

    private final String name;
    private final Timer timer;
    private final int purgeInterval;
    private final List<Shard> shards;
    // Operations parked since the last purge; minus the timer's size, an estimate of the completed ones still watched.
    private final AtomicInteger estimatedTotalOperations = new AtomicInteger();
    private final Thread reaper;
    private volatile boolean running = true;

    /**
     * A purgatory with its own timer on the monotonic clock, a reaper thread and a purge interval
     * of 1000 (Kafka's default for {@code *.purgatory.purge.interval.requests}).
     */
    public static <K, T extends DelayedOperation> Purgatory<K, T> start(String name) {
        return new Purgatory<>(name, new Timer(name), 1000, true);
    }

    /**
     * @param name          names the purgatory and its reaper thread ({@code ExpirationReaper-name})
     * @param timer         expires the operations; the purgatory owns it and closes it on shutdown
     * @param purgeInterval completed operations tolerated on the watch lists before a purge, at least 1
     * @param startReaper   whether to start the reaper thread; without it the owner calls
     *                      {@link #advanceClock(long)} (tests driving a manual clock do)
     */
    public Purgatory(String name, Timer timer, int purgeInterval, boolean startReaper) {
        this.name = Objects.requireNonNull(name, "name");
        this.timer = Objects.requireNonNull(timer, "timer");
        if (purgeInterval < 1) {
            throw new IllegalArgumentException("purgeInterval must be at least 1, was " + purgeInterval);
        }
        this.purgeInterval = purgeInterval;
        List<Shard> list = new ArrayList<>(SHARDS);
        for (int i = 0; i < SHARDS; i++) {
            list.add(new Shard());
        }
        this.shards = List.copyOf(list);
        if (startReaper) {
            reaper = new Thread(this::reap, "ExpirationReaper-" + name);
            // A forgotten shutdown must not keep the JVM alive; the broker shuts purgatories down in order.
            reaper.setDaemon(true);
            reaper.start();
        } else {
            reaper = null;
        }
    }

    public String name() {
        return name;
    }

    /**
     * Completes {@code operation} now if it can; otherwise watches it on every key and puts it in
     * the timer, unless it completed meanwhile.
     *
     * @return true if it completed during this call, by this call's checks
     * @throws IllegalArgumentException if {@code keys} is empty
     * @throws IllegalStateException    if the purgatory is shut down
     */
    public boolean tryCompleteElseWatch(T operation, Collection<? extends K> keys) {
        Objects.requireNonNull(operation, "operation");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("an operation needs at least one watch key");
        }
        if (!running) {
            throw new IllegalStateException("purgatory " + name + " is shut down");
        }
        boolean completed = operation.safeTryCompleteOrElse(() -> {
            for (K key : keys) {
                // Completed on another key's list meanwhile (by forceComplete): skip the rest.
                if (operation.isCompleted()) {
                    break;
                }
                watch(key, operation);
            }
            estimatedTotalOperations.incrementAndGet();
        });
        if (completed) {
            return true;
        }
        if (!operation.isCompleted()) {
            timer.add(operation);
            // Completed between the check and the add: the completer's cancel may have run before
            // the add, so take the task out again (at worst a second, harmless cancel).
            if (operation.isCompleted()) {
                operation.cancel();
            }
        }
        return false;
    }

    /**
     * Retries the operations watching {@code key}, completing those that can, and drops the
     * completed ones from the key's watch list.
     *
     * @return how many operations this call completed
     */
    public int checkAndComplete(K key) {
        Watchers watchers = shardOf(key).watchersByKey.get(key);
        return watchers == null ? 0 : watchers.tryCompleteWatched();
    }

    /**
     * Stops watching {@code key} and takes its operations out of the timer without completing them.
     * Operations also watched on other keys stay there.
     *
     * @return the operations that were watching the key and had not completed
     */
    public List<T> cancelForKey(K key) {
        Shard shard = shardOf(key);
        Watchers watchers;
        shard.lock.lock();
        try {
            watchers = shard.watchersByKey.remove(key);
        } finally {
            shard.lock.unlock();
        }
        if (watchers == null) {
            return List.of();
        }
        List<T> cancelled = new ArrayList<>();
        for (T operation : watchers.operations) {
            if (!operation.isCompleted()) {
                operation.cancel();
                cancelled.add(operation);
            }
        }
        return cancelled;
    }

    /**
     * Entries on all watch lists, counting an operation once per key and including completed
     * operations not purged yet. O(entries).
     */
    public int watched() {
        int sum = 0;
        for (Shard shard : shards) {
            for (Watchers watchers : shard.watchersByKey.values()) {
                sum += watchers.operations.size();
            }
        }
        return sum;
    }

    /** Operations waiting in the timer for their expiry. */
    public int numDelayed() {
        return timer.size();
    }

    /**
     * One turn of the reaper: expires what is due (waiting up to {@code timeoutMs} for it), then
     * purges the watch lists if enough completed operations have piled up.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void advanceClock(long timeoutMs) throws InterruptedException {
        timer.advanceClock(timeoutMs);
        int delayed = numDelayed();
        if (estimatedTotalOperations.get() - delayed > purgeInterval) {
            // Reset first: operations parked during the sweep count towards the next purge.
            estimatedTotalOperations.set(delayed);
            for (Shard shard : shards) {
                for (Watchers watchers : shard.watchersByKey.values()) {
                    watchers.purgeCompleted();
                }
            }
        }
    }

    /**
     * Stops the reaper (waiting for its current turn to end) and closes the timer. Operations
     * still pending are neither completed nor expired. Idempotent.
     */
    public void shutdown() {
        running = false;
        timer.close();
        if (reaper != null && reaper != Thread.currentThread()) {
            boolean interrupted = false;
            while (reaper.isAlive()) {
                try {
                    reaper.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void reap() {
        while (running) {
            try {
                advanceClock(REAPER_POLL_MS);
            } catch (InterruptedException e) {
                // Nobody interrupts the reaper in normal operation (shutdown wakes it through the
                // timer instead, so a callback doing channel I/O is never interrupted): end it.
                return;
            }
        }
    }

    private void watch(K key, T operation) {
        Shard shard = shardOf(key);
        shard.lock.lock();
        try {
            shard.watchersByKey.computeIfAbsent(key, Watchers::new).operations.add(operation);
        } finally {
            shard.lock.unlock();
        }
    }

    /** Drops the key if {@code watchers} is still its list and is empty. */
    private void removeKeyIfEmpty(K key, Watchers watchers) {
        Shard shard = shardOf(key);
        shard.lock.lock();
        try {
            if (shard.watchersByKey.get(key) == watchers && watchers.operations.isEmpty()) {
                shard.watchersByKey.remove(key);
            }
        } finally {
            shard.lock.unlock();
        }
    }

    private Shard shardOf(K key) {
        int h = key.hashCode();
        // Spread the high bits down, as HashMap does, before masking to a power-of-two shard count.
        return shards.get((h ^ (h >>> 16)) & (SHARDS - 1));
    }

    /** One stripe of the watch lists. */
    private final class Shard {
        final ConcurrentHashMap<K, Watchers> watchersByKey = new ConcurrentHashMap<>();
        final ReentrantLock lock = new ReentrantLock();
    }

    /** The operations watching one key, oldest first. */
    private final class Watchers {
        final K key;
        final ConcurrentLinkedQueue<T> operations = new ConcurrentLinkedQueue<>();

        Watchers(K key) {
            this.key = key;
        }

        int tryCompleteWatched() {
            int completed = 0;
            Iterator<T> it = operations.iterator();
            while (it.hasNext()) {
                T operation = it.next();
                if (operation.isCompleted()) {
                    it.remove();
                } else if (operation.safeTryComplete()) {
                    it.remove();
                    completed++;
                }
            }
            if (operations.isEmpty()) {
                removeKeyIfEmpty(key, this);
            }
            return completed;
        }

        void purgeCompleted() {
            operations.removeIf(DelayedOperation::isCompleted);
            if (operations.isEmpty()) {
                removeKeyIfEmpty(key, this);
            }
        }
    }
}
