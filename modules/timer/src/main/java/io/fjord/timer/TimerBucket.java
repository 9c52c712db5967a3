package io.fjord.timer;

import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One slot of a {@link TimingWheel}: a circular doubly linked list of entries (around a sentinel
 * root) that all expire in the same tick of that wheel, and the start of that tick as the
 * bucket's expiration. Buckets, never single tasks, go into the timer's delay queue.
 *
 * <p>Invariants: the list is guarded by this bucket's monitor, an entry's links by the monitors of
 * the bucket and then the entry (always in that order); {@code expirationMs} is
 * {@link #NO_EXPIRATION} while the bucket is empty and out of the delay queue. A bucket is in the
 * delay queue at most once per expiration: only the add that changes the expiration enqueues it.
 */
final class TimerBucket implements Delayed {

    /** The expiration of a bucket that is not scheduled; no real tick starts at Long.MIN_VALUE. */
    static final long NO_EXPIRATION = Long.MIN_VALUE;

    private final AtomicInteger taskCounter;
    private final LongSupplier clockMs;
    private final AtomicLong expirationMs = new AtomicLong(NO_EXPIRATION);
    private final TimerTaskEntry root = new TimerTaskEntry(null, NO_EXPIRATION);

    TimerBucket(AtomicInteger taskCounter, LongSupplier clockMs) {
        this.taskCounter = taskCounter;
        this.clockMs = clockMs;
        root.next = root;
        root.prev = root;
    }

    /** Sets the expiration; true when it changed, which means the bucket must be (re)enqueued. */
    boolean setExpiration(long newExpirationMs) {
        // Most adds meet a bucket already set to their tick: a plain read spares the atomic swap.
        // Safe because the only other writer, flush, runs under the timer's write lock, apart from adds.
        if (expirationMs.get() == newExpirationMs) {
            return false;
        }
        return expirationMs.getAndSet(newExpirationMs) != newExpirationMs;
    }

    long expirationMs() {
        return expirationMs.get();
    }

    /** Links {@code entry} at the tail, first unlinking it from any other bucket. */
    void add(TimerTaskEntry entry) {
        boolean linked = false;
        while (!linked) {
            // Unlink outside this bucket's monitor: taking two bucket monitors at once could deadlock.
            entry.remove();
            synchronized (this) {
                synchronized (entry) {
                    if (entry.bucket == null) {
                        TimerTaskEntry tail = root.prev;
                        entry.next = root;
                        entry.prev = tail;
                        entry.bucket = this;
                        tail.next = entry;
                        root.prev = entry;
                        taskCounter.incrementAndGet();
                        linked = true;
                    }
                }
            }
        }
    }

    /** Unlinks {@code entry} if it is in this bucket; otherwise does nothing. */
    synchronized void remove(TimerTaskEntry entry) {
        synchronized (entry) {
            if (entry.bucket == this) {
                entry.next.prev = entry.prev;
                entry.prev.next = entry.next;
                entry.next = null;
                entry.prev = null;
                entry.bucket = null;
                taskCounter.decrementAndGet();
            }
        }
    }

    /**
     * Unlinks every entry, head first, handing each to {@code sink}, and marks the bucket
     * unscheduled. The sink may link the entry into another bucket (never this one: it is the
     * wheel's current tick, which takes no entries).
     */
    synchronized void flush(Consumer<TimerTaskEntry> sink) {
        TimerTaskEntry entry = root.next;
        root.next = root;
        root.prev = root;
        int flushed = 0;
        while (entry != root) {
            TimerTaskEntry next = entry.next;
            // No entry monitor needed: every other change to an entry of this bucket goes through
            // remove(), which waits for this bucket's monitor, and flushed entries are re-added by
            // this thread only (the sink).
            entry.next = null;
            entry.prev = null;
            entry.bucket = null;
            flushed++;
            sink.accept(entry);
            entry = next;
        }
        // One update for the whole bucket; size() may count a flushed entry twice until here.
        taskCounter.addAndGet(-flushed);
        expirationMs.set(NO_EXPIRATION);
    }

    @Override
    public long getDelay(TimeUnit unit) {
        long expiration = expirationMs.get();
        long now = clockMs.getAsLong();
        return expiration <= now ? 0 : unit.convert(expiration - now, TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        return Long.compare(expirationMs.get(), ((TimerBucket) other).expirationMs.get());
    }
}
