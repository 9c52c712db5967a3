package io.fjord.log;

import io.fjord.common.Time;

/**
 * Holds the cleaner's reads and writes to {@code log.cleaner.io.max.bytes.per.second}: callers
 * report the bytes they moved and are put to sleep when the rate since the last check is above
 * the limit. One throttler is shared by every cleaner thread, so the limit is theirs together.
 */
final class Throttler {

    private static final long CHECK_INTERVAL_NS = 100_000_000L;

    /** How the throttler waits; tests pass one that moves their clock. */
    interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    private final double bytesPerSecond;
    private final Time time;
    private final Sleeper sleeper;
    private long periodStartNs;
    private double observedBytes;

    Throttler(double bytesPerSecond, Time time) {
        this(bytesPerSecond, time, Thread::sleep);
    }

    Throttler(double bytesPerSecond, Time time, Sleeper sleeper) {
        this.bytesPerSecond = bytesPerSecond;
        this.time = time;
        this.sleeper = sleeper;
        this.periodStartNs = time.nanoseconds();
    }

    /** Counts {@code bytes} and sleeps as long as the rate needs; unlimited rates never sleep. */
    void maybeThrottle(long bytes) throws InterruptedException {
        if (bytesPerSecond == Double.MAX_VALUE) {
            return;
        }
        long sleepMs;
        synchronized (this) {
            observedBytes += bytes;
            long now = time.nanoseconds();
            long elapsed = now - periodStartNs;
            if (elapsed < CHECK_INTERVAL_NS) {
                return;
            }
            double rate = observedBytes * 1e9 / elapsed;
            if (rate <= bytesPerSecond) {
                periodStartNs = now;
                observedBytes = 0;
                return;
            }
            // Sleep until the bytes of this period fit the rate.
            sleepMs = (long) (observedBytes * 1000 / bytesPerSecond - elapsed / 1e6);
            periodStartNs = now + sleepMs * 1_000_000L;
            observedBytes = 0;
        }
        if (sleepMs > 0) {
            sleeper.sleep(sleepMs);
        }
    }
}
