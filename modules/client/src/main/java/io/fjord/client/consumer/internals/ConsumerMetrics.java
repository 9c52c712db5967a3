package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The consumer's counters, reported under Kafka's metric names where Kafka has one. Written on the
 * application's thread (and the heartbeat thread for heartbeats), read from any.
 */
public final class ConsumerMetrics {

    private final long startNs = System.nanoTime();
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder fetches = new LongAdder();
    private final LongAdder fullFetches = new LongAdder();
    private final LongAdder incrementalFetches = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();
    private final LongAdder rebalances = new LongAdder();

    void recordsConsumed(TopicPartition partition, int count) {
        records.add(count);
    }

    void bytesConsumed(long count) {
        bytes.add(count);
    }

    void fetchSent(boolean full) {
        fetches.increment();
        (full ? fullFetches : incrementalFetches).increment();
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

    /** Every metric by name; rates are per second since the consumer started. */
    public Map<String, Double> snapshot(long recordsLagMax) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("records-consumed-total", records.doubleValue());
        out.put("records-consumed-rate", records.doubleValue() / seconds);
        out.put("bytes-consumed-total", bytes.doubleValue());
        out.put("bytes-consumed-rate", bytes.doubleValue() / seconds);
        out.put("fetch-total", fetches.doubleValue());
        out.put("fetch-rate", fetches.doubleValue() / seconds);
        out.put("fetch-session-full-total", fullFetches.doubleValue());
        out.put("fetch-session-incremental-total", incrementalFetches.doubleValue());
        out.put("records-lag-max", (double) recordsLagMax);
        out.put("commit-total", commits.doubleValue());
        out.put("heartbeat-total", heartbeats.doubleValue());
        out.put("rebalance-total", rebalances.doubleValue());
        return out;
    }
}
