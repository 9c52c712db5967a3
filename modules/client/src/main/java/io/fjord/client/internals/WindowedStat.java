package io.fjord.client.internals;

/**
 * One measured quantity over a sliding window, as Kafka's client metrics measure it: {@code
 * metrics.num.samples} samples of {@code metrics.sample.window.ms} each; a sample older than all
 * of them together no longer counts. Gives the rate per second, the average and the maximum of
 * what the live samples hold. A rate is taken over at least all samples but the current one, so
 * a quantity measured for a moment does not read as a burst (Kafka's Rate does the same).
 *
 * <p>Thread-safe: recording (once per batch, request or poll, never per record) and reading take
 * this object's monitor.
 */
public final class WindowedStat {

    private final long windowMs;
    private final long[] startMs;
    private final double[] sum;
    private final long[] count;
    private final double[] max;
    private int current;

    public WindowedStat(long windowMs, int samples) {
        if (windowMs <= 0 || samples < 2) {
            throw new IllegalArgumentException("a window needs a positive length and at least two samples");
        }
        this.windowMs = windowMs;
        this.startMs = new long[samples];
        this.sum = new double[samples];
        this.count = new long[samples];
        this.max = new double[samples];
        java.util.Arrays.fill(startMs, Long.MIN_VALUE);
    }

    public synchronized void record(double value, long nowMs) {
        if (startMs[current] == Long.MIN_VALUE || nowMs - startMs[current] >= windowMs) {
            current = (current + 1) % startMs.length;
            startMs[current] = nowMs;
            sum[current] = 0;
            count[current] = 0;
            max[current] = Double.NEGATIVE_INFINITY;
        }
        sum[current] += value;
        count[current]++;
        max[current] = Math.max(max[current], value);
    }

    /** Per second over the live samples. */
    public synchronized double rate(long nowMs) {
        long oldest = nowMs;
        double total = 0;
        for (int i = 0; i < startMs.length; i++) {
            if (live(i, nowMs)) {
                total += sum[i];
                oldest = Math.min(oldest, startMs[i]);
            }
        }
        long elapsedMs = Math.max(nowMs - oldest, (startMs.length - 1) * windowMs);
        return total * 1000.0 / elapsedMs;
    }

    /** The average of the values recorded in the live samples; 0 when there are none. */
    public synchronized double avg(long nowMs) {
        double total = 0;
        long n = 0;
        for (int i = 0; i < startMs.length; i++) {
            if (live(i, nowMs)) {
                total += sum[i];
                n += count[i];
            }
        }
        return n == 0 ? 0 : total / n;
    }

    /** The largest value in the live samples; 0 when there are none. */
    public synchronized double max(long nowMs) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < startMs.length; i++) {
            if (live(i, nowMs) && count[i] > 0) {
                m = Math.max(m, max[i]);
            }
        }
        return m == Double.NEGATIVE_INFINITY ? 0 : m;
    }

    private boolean live(int i, long nowMs) {
        return startMs[i] != Long.MIN_VALUE && nowMs - startMs[i] < startMs.length * windowMs;
    }
}
