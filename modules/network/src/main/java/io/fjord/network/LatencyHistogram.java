package io.fjord.network;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A cheap, thread-safe histogram of durations in nanoseconds: one counter per power of two, plus
 * count, sum and maximum. Recording is a few atomic increments and never allocates; percentiles
 * are exact to within a factor of two, which is what an operator needs to tell 1 ms from 100 ms.
 */
public final class LatencyHistogram {
    // Bucket i counts durations d with 2^(i-1) <= d < 2^i nanoseconds; bucket 0 counts d <= 0.
    private static final int BUCKETS = 64;

    private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sumNanos = new AtomicLong();
    private final AtomicLong maxNanos = new AtomicLong();

    /** Records one duration; negative durations (clock quirks) count as zero. */
    public void record(long nanos) {
        long d = Math.max(0, nanos);
        buckets.incrementAndGet(d == 0 ? 0 : 64 - Long.numberOfLeadingZeros(d));
        count.incrementAndGet();
        sumNanos.addAndGet(d);
        maxNanos.accumulateAndGet(d, Math::max);
    }

    public long count() {
        return count.get();
    }

    public long sum(TimeUnit unit) {
        return unit.convert(sumNanos.get(), TimeUnit.NANOSECONDS);
    }

    public long max(TimeUnit unit) {
        return unit.convert(maxNanos.get(), TimeUnit.NANOSECONDS);
    }

    /**
     * An upper bound of the given quantile (0 to 1) in nanoseconds: the top of the power-of-two
     * bucket it falls in, capped at the maximum seen; 0 if nothing was recorded.
     */
    public long quantileUpperBoundNanos(double quantile) {
        if (quantile < 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be in 0..1: " + quantile);
        }
        long total = count.get();
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                long top = i == 0 ? 0 : (i >= 63 ? Long.MAX_VALUE : (1L << i) - 1);
                return Math.min(top, maxNanos.get());
            }
        }
        return maxNanos.get();
    }
}
