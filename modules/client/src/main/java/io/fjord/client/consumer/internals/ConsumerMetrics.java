package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.client.internals.WindowedStat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The consumer's metrics, reported under Kafka's names where Kafka has one: totals since the
 * start, and rates over Kafka's sliding window ({@code metrics.sample.window.ms} x {@code
 * metrics.num.samples}, see {@link WindowedStat}). Written on the application's thread (and the
 * heartbeat thread for heartbeats) once per fetch, poll or request, read from any.
 */
public final class ConsumerMetrics {

    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder fetches = new LongAdder();
    private final LongAdder fullFetches = new LongAdder();
    private final LongAdder incrementalFetches = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();
    private final LongAdder rebalances = new LongAdder();
    private final WindowedStat recordRate;
    private final WindowedStat byteRate;
    private final WindowedStat fetchRate;

    public ConsumerMetrics(long windowMs, int samples) {
        recordRate = new WindowedStat(windowMs, samples);
        byteRate = new WindowedStat(windowMs, samples);
        fetchRate = new WindowedStat(windowMs, samples);
    }

    void recordsConsumed(TopicPartition partition, int count) {
        records.add(count);
        recordRate.record(count, System.currentTimeMillis());
    }

    void bytesConsumed(long count) {
        bytes.add(count);
        byteRate.record(count, System.currentTimeMillis());
    }

    void fetchSent(boolean full) {
        fetches.increment();
        (full ? fullFetches : incrementalFetches).increment();
        fetchRate.record(1, System.currentTimeMillis());
    }

    void commitDone() {
        commits.increment();
    }

    void heartbeatSent() {
        heartbeats.increment();
    }

    void rebalanceDone() {
        rebalances.increment();
    }

    /** Every metric by name. */
    public Map<String, Double> snapshot(long recordsLagMax) {
        long now = System.currentTimeMillis();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("records-consumed-total", records.doubleValue());
        out.put("records-consumed-rate", recordRate.rate(now));
        out.put("bytes-consumed-total", bytes.doubleValue());
        out.put("bytes-consumed-rate", byteRate.rate(now));
        out.put("fetch-total", fetches.doubleValue());
        out.put("fetch-rate", fetchRate.rate(now));
        out.put("fetch-session-full-total", fullFetches.doubleValue());
        out.put("fetch-session-incremental-total", incrementalFetches.doubleValue());
        out.put("records-lag-max", (double) recordsLagMax);
        out.put("commit-total", commits.doubleValue());
        out.put("heartbeat-total", heartbeats.doubleValue());
        out.put("rebalance-total", rebalances.doubleValue());
        return out;
    }
}
