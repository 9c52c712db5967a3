package io.fjord.timer;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One level of the hierarchical timing wheel: {@code wheelSize} buckets of {@code tickMs} each,
 * covering {@code [currentTimeMs, currentTimeMs + intervalMs)}. Deadlines past that go to the
 * overflow wheel, one level up, whose tick is this wheel's whole interval; it is created on
 * demand. When an overflow bucket expires its entries are added again and fall to finer wheels,
 * so a task runs only once the clock has reached its own deadline, never just its bucket's.
 *
 * <p>Invariants: {@code currentTimeMs} is a multiple of {@code tickMs} and never decreases; the
 * bucket of the current tick takes no entries (they are due and run instead), so every entry in
 * this wheel expires at or after {@code currentTimeMs + tickMs}. With {@link Timer#MAX_DELAY_MS}
 * the hierarchy is at most 11 levels high.
 *
 * <p>Thread safety, provided by {@link Timer}: {@link #add} runs under the timer's read lock (many
 * adders at once) and {@link #advanceClock} under its write lock (alone), so {@code currentTimeMs}
 * needs no volatile. The overflow wheel can be created by two adders at once, hence the volatile
 * field and double-checked creation.
 */
final class TimingWheel {

    private final long tickMs;
    private final int wheelSize;
    private final long intervalMs;
    private final AtomicInteger taskCounter;
    private final DelayQueue<TimerBucket> queue;
    private final LongSupplier clockMs;
    private final TimerBucket[] buckets;
    private long currentTimeMs;
    private volatile TimingWheel overflowWheel;

    TimingWheel(long tickMs, int wheelSize, long startMs, AtomicInteger taskCounter,
                DelayQueue<TimerBucket> queue, LongSupplier clockMs) {
        this.tickMs = tickMs;
        this.wheelSize = wheelSize;
        this.intervalMs = tickMs * wheelSize;
        this.taskCounter = taskCounter;
        this.queue = queue;
        this.clockMs = clockMs;
        this.currentTimeMs = Math.floorDiv(startMs, tickMs) * tickMs;
        this.buckets = new TimerBucket[wheelSize];
        for (int i = 0; i < wheelSize; i++) {
            buckets[i] = new TimerBucket(taskCounter, clockMs);
        }
    }

    /**
     * Links {@code entry} into the bucket of its deadline, at this level or above.
     *
     * @return false if the entry was not linked because it is cancelled or already due
     */
    boolean add(TimerTaskEntry entry) {
        long expiration = entry.expirationMs;
        if (entry.cancelled()) {
            return false;
        }
        if (expiration < currentTimeMs + tickMs) {
            return false;
        }
        if (expiration < currentTimeMs + intervalMs) {
            // floorDiv/floorMod: clocks may be negative (System.nanoTime() is).
            long virtualId = Math.floorDiv(expiration, tickMs);
            TimerBucket bucket = buckets[(int) Math.floorMod(virtualId, (long) wheelSize)];
            bucket.add(entry);
            if (bucket.setExpiration(virtualId * tickMs)) {
                // A new expiration means the bucket was empty and out of the queue (flushed or never used).
                queue.offer(bucket);
            }
            if (entry.cancelled()) {
                // Cancelled or moved while it was being linked: see TimerTask's entry field.
                entry.remove();
            }
            return true;
        }
        return overflowWheel().add(entry);
    }

    /** Moves this wheel, and the ones above it, to the tick that contains {@code timeMs}. */
    void advanceClock(long timeMs) {
        if (timeMs >= currentTimeMs + tickMs) {
            currentTimeMs = Math.floorDiv(timeMs, tickMs) * tickMs;
            TimingWheel overflow = overflowWheel;
            if (overflow != null) {
                overflow.advanceClock(currentTimeMs);
            }
        }
    }

    private TimingWheel overflowWheel() {
        TimingWheel overflow = overflowWheel;
        if (overflow == null) {
            synchronized (this) {
                overflow = overflowWheel;
                if (overflow == null) {
                    overflow = new TimingWheel(intervalMs, wheelSize, currentTimeMs, taskCounter, queue, clockMs);
                    overflowWheel = overflow;
                }
            }
        }
        return overflow;
    }

    /** Every bucket of this level and the levels above it, for {@link Timer#close()}. */
    void forEachBucket(Consumer<TimerBucket> action) {
        for (TimerBucket bucket : buckets) {
            action.accept(bucket);
        }
        TimingWheel overflow = overflowWheel;
        if (overflow != null) {
            overflow.forEachBucket(action);
        }
    }

    /** How many levels this wheel and its overflow wheels make; for tests. */
    int levels() {
        TimingWheel overflow = overflowWheel;
        return 1 + (overflow == null ? 0 : overflow.levels());
    }
}
