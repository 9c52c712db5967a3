package io.fjord.common;

/**
 * The clock every time-based rule of the log reads: segment roll by age, retention, flush by
 * interval, log-append timestamps. Production code uses {@link #SYSTEM}; tests pass a clock they
 * move by hand, so no test waits on real time.
 */
public interface Time {

    /** Wall-clock milliseconds since the epoch (comparable with record timestamps). */
    long milliseconds();

    /** A monotonic nanosecond counter, only for measuring durations. */
    long nanoseconds();

    /** The real clock. */
    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };
}
