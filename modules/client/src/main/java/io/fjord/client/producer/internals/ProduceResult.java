package io.fjord.client.producer.internals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of one batch, shared by the futures of its records: the base offset and log-append
 * time on success, or the error. Completed once, by the sender thread, after the batch's callbacks
 * ran (so {@code flush} returns only once they did, as in Kafka); read by any thread.
 */
final class ProduceResult {

    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long baseOffset = -1;
    private volatile long logAppendTime = -1;
    private volatile RuntimeException error;

    void complete(long baseOffset, long logAppendTime, RuntimeException error) {
        set(baseOffset, logAppendTime, error);
        done();
    }

    /** Records the outcome, for the callbacks to read, before {@link #done} releases the futures. */
    void set(long baseOffset, long logAppendTime, RuntimeException error) {
        this.baseOffset = baseOffset;
        this.logAppendTime = logAppendTime;
        this.error = error;
    }

    void done() {
        done.countDown();
    }

    boolean isDone() {
        return done.getCount() == 0;
    }

    void await() throws InterruptedException {
        done.await();
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    long baseOffset() {
        return baseOffset;
    }

    long logAppendTime() {
        return logAppendTime;
    }

    RuntimeException error() {
        return error;
    }
}
