package io.fjord.timer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * A hierarchical timing wheel (1 ms ticks, 20 buckets per level, overflow levels created on
 * demand) driven by a {@link DelayQueue} of buckets. Insert is O(levels), cancel O(1), and the
 * delay queue holds at most one element per bucket, however many tasks are pending.
 *
 * <p>Time comes from an injected clock of milliseconds. It must not go backwards and must stay
 * within +/-2<sup>60</sup> (any {@code System.nanoTime()}-based or wall clock does); tests pass
 * a hand-driven clock and call {@code advanceClock(0)} after moving it.
 *
 * <p>Threads: any number of threads may {@link #add} at once; {@link #advanceClock} is meant for
 * one thread at a time (the reaper), and excludes adders only while it moves buckets. Expired
 * tasks run on the advancing thread after every lock is released, in order of deadline (to the
 * millisecond); a task whose delay is already over when added runs at once on the adding thread.
 * A task that throws is reported on the {@code System.Logger} named after this class and does
 * not stop the others.
 */
public final class Timer implements AutoCloseable {

    /** The longest delay a task can have (about 139 years); longer ones are clamped to it. */
    public static final long MAX_DELAY_MS = 1L << 42;

    static final long TICK_MS = 1;
    static final int WHEEL_SIZE = 20;

    private static final System.Logger LOG = System.getLogger(Timer.class.getName());

    private final String name;
    private final LongSupplier clockMs;
    private final DelayQueue<TimerBucket> delayQueue = new DelayQueue<>();
    private final AtomicInteger taskCounter = new AtomicInteger();
    private final TimingWheel wheel;
    // Read lock: adding entries. Write lock: advancing the wheels and re-adding flushed entries.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // Never holds entries; offered by close() so that a reaper blocked in advanceClock returns.
    private final TimerBucket wakeUp;
    private volatile boolean closed;

    /** A timer on the JVM's monotonic clock ({@code System.nanoTime()} in milliseconds). */
    public Timer(String name) {
        this(name, Timer::monotonicMs);
    }

    /**
     * @param name    names the timer in messages
     * @param clockMs the current time in milliseconds; never decreasing
     */
    public Timer(String name, LongSupplier clockMs) {
        this.name = Objects.requireNonNull(name, "name");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.wheel = new TimingWheel(TICK_MS, WHEEL_SIZE, clockMs.getAsLong(), taskCounter, delayQueue, clockMs);
        this.wakeUp = new TimerBucket(taskCounter, clockMs);
    }

    /** {@code System.nanoTime()} in milliseconds: the default clock, immune to wall-clock steps. */
    public static long monotonicMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    public String name() {
        return name;
    }

    /**
     * Schedules {@code task} to run {@link TimerTask#delayMs()} after now. A task that is already
     * scheduled moves to the new deadline. A task whose delay is already over runs now, on this
     * thread.
     *
     * @throws IllegalStateException if the timer is closed
     */
    public void add(TimerTask task) {
        Objects.requireNonNull(task, "task");
        TimerTaskEntry due;
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("timer " + name + " is closed");
            }
            TimerTaskEntry entry = new TimerTaskEntry(task, clockMs.getAsLong() + task.delayMs());
            task.attach(entry);
            // No delay: run now. The wheel's time trails the clock (it moves only when a bucket
            // expires), so it would take the entry into a bucket due at the next advance.
            due = task.delayMs() == 0 || !wheel.add(entry) ? entry : null;
        } finally {
            lock.readLock().unlock();
        }
        if (due != null) {
            runIfLive(due);
        }
    }

    /**
     * Waits up to {@code timeoutMs} for a bucket to expire, then expires every bucket that is due
     * by the clock and runs their due tasks on this thread. Entries of overflow buckets that are
     * not yet due move down to finer wheels.
     *
     * @return true if it woke for a bucket (or for {@link #close()}), false if the wait timed out
     *         or the timer is closed
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean advanceClock(long timeoutMs) throws InterruptedException {
        if (closed) {
            return false;
        }
        TimerBucket bucket = delayQueue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (bucket == null) {
            return false;
        }
        List<TimerTaskEntry> due = new ArrayList<>();
        lock.writeLock().lock();
        try {
            while (bucket != null) {
                if (bucket != wakeUp) {
                    wheel.advanceClock(bucket.expirationMs());
                    bucket.flush(entry -> {
                        if (!wheel.add(entry)) {
                            due.add(entry);
                        }
                    });
                }
                bucket = delayQueue.poll();
            }
        } finally {
            lock.writeLock().unlock();
        }
        for (TimerTaskEntry entry : due) {
            runIfLive(entry);
        }
        return true;
    }

    /**
     * How many tasks are scheduled and not yet due or cancelled. Exact when no advance is under
     * way; during one, tasks moving down from an expired bucket may be counted twice for a moment.
     */
    public int size() {
        return taskCounter.get();
    }

    /**
     * Closes the timer: scheduled tasks are dropped without running, later {@link #add} calls
     * fail, and a thread waiting in {@link #advanceClock} returns. Idempotent.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            delayQueue.clear();
            wheel.forEachBucket(bucket -> bucket.flush(entry -> { }));
        } finally {
            lock.writeLock().unlock();
        }
        delayQueue.offer(wakeUp);
    }

    /** Levels of the hierarchy created so far; for tests. */
    int levels() {
        return wheel.levels();
    }

    private void runIfLive(TimerTaskEntry entry) {
        // Cancelled or moved since it was taken out of its bucket: the newer state wins.
        if (entry.cancelled()) {
            return;
        }
        try {
            entry.task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "timer " + name + ": task " + entry.task + " failed", e);
        }
    }
}
