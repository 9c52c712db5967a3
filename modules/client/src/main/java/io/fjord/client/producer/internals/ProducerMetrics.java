package io.fjord.client.producer.internals;

import io.fjord.client.internals.WindowedStat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The producer's metrics, under Kafka's names: totals since the start, and rates, averages and
 * maxima over Kafka's sliding window ({@code metrics.sample.window.ms} x {@code
 * metrics.num.samples}, see {@link WindowedStat}). Recorded by the sender thread once per batch
 * or request, read by anyone.
 */
public final class ProducerMetrics {

    private final LongAdder records = new LongAdder();
    private final LongAdder recordErrors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final WindowedStat recordRate;
    private final WindowedStat byteRate;
    private final WindowedStat batchSize;
    private final WindowedStat compressionRatio;
    private final WindowedStat errorRate;
    private final WindowedStat retryRate;
    private final WindowedStat requestRate;
    private final WindowedStat requestLatencyMs;

    public ProducerMetrics(long windowMs, int samples) {
        recordRate = new WindowedStat(windowMs, samples);
        byteRate = new WindowedStat(windowMs, samples);
        batchSize = new WindowedStat(windowMs, samples);
        compressionRatio = new WindowedStat(windowMs, samples);
        errorRate = new WindowedStat(windowMs, samples);
        retryRate = new WindowedStat(windowMs, samples);
        requestRate = new WindowedStat(windowMs, samples);
        requestLatencyMs = new WindowedStat(windowMs, samples);
    }

    void recordBatch(ProducerBatch batch) {
        long now = System.currentTimeMillis();
        int wire = batch.estimatedSizeInBytes();
        int uncompressed = batch.pooledBuffer().position();
        records.add(batch.recordCount());
        recordRate.record(batch.recordCount(), now);
        byteRate.record(wire, now);
        batchSize.record(wire, now);
        compressionRatio.record(uncompressed == 0 ? 1.0 : (double) wire / uncompressed, now);
    }

    void recordErrors(int count) {
        recordErrors.add(count);
        errorRate.record(count, System.currentTimeMillis());
    }

    /** Records put back for another attempt; as Kafka's, counted in records, and sent again in record-send. */
    void recordRetry(int count) {
        retries.add(count);
        retryRate.record(count, System.currentTimeMillis());
    }

    void recordRequestLatency(long ns) {
        long now = System.currentTimeMillis();
        requests.increment();
        requestRate.record(1, now);
        requestLatencyMs.record(ns / 1e6, now);
    }

    /** Kafka's producer metric names and their values now. */
    public Map<String, Double> snapshot(long bufferAvailableBytes, long bufferTotalBytes) {
        long now = System.currentTimeMillis();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("record-send-total", (double) records.sum());
        m.put("record-send-rate", recordRate.rate(now));
        m.put("batch-size-avg", batchSize.avg(now));
        m.put("batch-size-max", batchSize.max(now));
        m.put("compression-rate-avg", compressionRatio.avg(now));
        m.put("byte-rate", byteRate.rate(now));
        m.put("buffer-available-bytes", (double) bufferAvailableBytes);
        m.put("buffer-total-bytes", (double) bufferTotalBytes);
        m.put("record-error-total", (double) recordErrors.sum());
        m.put("record-error-rate", errorRate.rate(now));
        m.put("record-retry-total", (double) retries.sum());
        m.put("record-retry-rate", retryRate.rate(now));
        m.put("request-total", (double) requests.sum());
        m.put("request-rate", requestRate.rate(now));
        m.put("request-latency-avg", requestLatencyMs.avg(now));
        m.put("request-latency-max", requestLatencyMs.max(now));
        return m;
    }
}
