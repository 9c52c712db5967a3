package io.fjord.client.producer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.api.producer.RecordMetadata;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future {@code send} returns: the record's place in its batch, resolved against the batch's
 * {@link ProduceResult} when asked. A batch split after MESSAGE_TOO_LARGE points its futures at the
 * new batches' results.
 */
public final class FutureRecordMetadata implements Future<RecordMetadata> {

    private final TopicPartition partition;
    private final long timestamp;
    private final int keySize;
    private final int valueSize;
    private volatile ProduceResult result;
    private volatile int relativeOffset;

    FutureRecordMetadata(TopicPartition partition, ProduceResult result, int relativeOffset, long timestamp,
                         int keySize, int valueSize) {
        this.partition = partition;
        this.result = result;
        this.relativeOffset = relativeOffset;
        this.timestamp = timestamp;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    /** Moves the record to another batch (after a split). */
    void reassign(ProduceResult newResult, int newRelativeOffset) {
        this.relativeOffset = newRelativeOffset;
        this.result = newResult;
    }

    ProduceResult result() {
        return result;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }

    @Override
    public RecordMetadata get() throws InterruptedException, ExecutionException {
        ProduceResult r;
        // A split re-points the future while its old result completes: follow it to the final one.
        do {
            r = result;
            r.await();
        } while (r != result);
        return valueOrThrow(r);
    }

    @Override
    public RecordMetadata get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        ProduceResult r;
        do {
            r = result;
            if (!r.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("No acknowledgement for the record to " + partition + " within "
                        + unit.toMillis(timeout) + " ms");
            }
        } while (r != result);
        return valueOrThrow(r);
    }

    private RecordMetadata valueOrThrow(ProduceResult r) throws ExecutionException {
        if (r.error() != null) {
            throw new ExecutionException(r.error());
        }
        return metadata();
    }

    /** The metadata once the result is in; offset -1 on failure or for acks=0. */
    RecordMetadata metadata() {
        ProduceResult r = result;
        long offset = r.error() == null && r.baseOffset() >= 0 ? r.baseOffset() + relativeOffset : -1;
        long time = r.logAppendTime() >= 0 ? r.logAppendTime() : timestamp;
        return new RecordMetadata(partition, offset, time, keySize, valueSize);
    }
}
