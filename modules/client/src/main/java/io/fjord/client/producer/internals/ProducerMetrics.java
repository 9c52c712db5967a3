package io.fjord.client.producer.internals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The producer's counters, under Kafka's metric names. Rates are averages since the producer
 * started; counters are updated by the sender thread and read by anyone.
 */
public final class ProducerMetrics {

    private final long startNs = System.nanoTime();
    private final LongAdder records = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder wireBytes = new LongAdder();
    private final LongAdder uncompressedBytes = new LongAdder();
    private final LongAdder recordErrors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder requestLatencyNs = new LongAdder();
    private final LongAccumulator requestLatencyMaxNs = new LongAccumulator(Math::max, 0);

    void recordBatch(ProducerBatch batch) {
        records.add(batch.recordCount());
        batches.increment();
        wireBytes.add(batch.estimatedSizeInBytes());
        uncompressedBytes.add(batch.pooledBuffer().position());
    }

    void recordErrors(int count) {
        recordErrors.add(count);
    }

    void recordRetry() {
        retries.increment();
    }

    void recordRequestLatency(long ns) {
        requests.increment();
        requestLatencyNs.add(ns);
        requestLatencyMaxNs.accumulate(ns);
    }

    /** Kafka's producer metric names and their values now. */
    public Map<String, Double> snapshot(long bufferAvailableBytes, long bufferTotalBytes) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
        long batchCount = batches.sum();
        long requestCount = requests.sum();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("record-send-total", (double) records.sum());
        m.put("record-send-rate", records.sum() / seconds);
        m.put("batch-size-avg", batchCount == 0 ? 0 : (double) wireBytes.sum() / batchCount);
        m.put("compression-rate-avg", uncompressedBytes.sum() == 0 ? 0 : (double) wireBytes.sum() / uncompressedBytes.sum());
        m.put("byte-rate", wireBytes.sum() / seconds);
        m.put("buffer-available-bytes", (double) bufferAvailableBytes);
        m.put("buffer-total-bytes", (double) bufferTotalBytes);
        m.put("record-error-total", (double) recordErrors.sum());
        m.put("record-error-rate", recordErrors.sum() / seconds);
        m.put("record-retry-total", (double) retries.sum());
        m.put("request-total", (double) requestCount);
        m.put("request-latency-avg", requestCount == 0 ? 0 : requestLatencyNs.sum() / 1e6 / requestCount);
        m.put("request-latency-max", requestLatencyMaxNs.get() / 1e6);
        return m;
    }
}
