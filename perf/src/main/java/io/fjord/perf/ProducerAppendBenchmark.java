package io.fjord.perf;

import io.fjord.api.Header;
import io.fjord.api.TopicPartition;
import io.fjord.client.producer.internals.BufferPool;
import io.fjord.client.producer.internals.RecordAccumulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The producer's caller-side hot path without the network: {@code append} writes one record into
 * its partition's open batch in pooled memory (a new batch every {@code batch.size} bytes; full
 * batches are dropped and their buffers returned, as the sender would after a send), and the
 * buffer pool's allocate and release of a pooled and of an odd-sized buffer. {@code -prof gc}
 * gives bytes allocated per record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProducerAppendBenchmark {

    private static final Header[] NO_HEADERS = new Header[0];
    private static final RuntimeException DONE = new IllegalStateException("benchmark batch released");

    @Param({"100", "1024"})
    int recordSize;

    private final TopicPartition partition = new TopicPartition("bench", 0);
    private BufferPool pool;
    private RecordAccumulator accumulator;
    private byte[] value;
    private long appended;

    @Setup(Level.Iteration)
    public void setUp() {
        pool = new BufferPool(32L * 1024 * 1024, 16 * 1024);
        accumulator = new RecordAccumulator(16 * 1024, 5, 100, false, null, pool);
        value = new byte[recordSize];
        new Random(1).nextBytes(value);
        appended = 0;
    }

    @Benchmark
    public Object append() throws InterruptedException {
        Object future = accumulator.append(partition, 1_000L, null, value, NO_HEADERS, null, 60_000, 1_000L).future();
        // Release memory as finished sends would, so the pool never runs dry.
        if (++appended % 4096 == 0) {
            accumulator.abortQueued(DONE);
        }
        return future;
    }

    @Benchmark
    public ByteBuffer poolAllocateAndRelease() throws InterruptedException {
        ByteBuffer buffer = pool.allocate(16 * 1024, 0);
        pool.deallocate(buffer, 16 * 1024);
        return buffer;
    }

    @Benchmark
    public ByteBuffer poolOddSizeAllocateAndRelease() throws InterruptedException {
        ByteBuffer buffer = pool.allocate(20_000, 0);
        pool.deallocate(buffer, 20_000);
        return buffer;
    }
}
