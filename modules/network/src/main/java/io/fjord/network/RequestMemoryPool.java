package io.fjord.network;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of requests in flight, bounded by {@code queued.max.request.bytes} (Kafka's memory
 * pool): a connection reserves a request's size when its size prefix has arrived, before it reads
 * the body, and the reservation is returned when the request is answered or dropped.
 *
 * <p>Admission is Kafka's non-strict rule: a reservation succeeds while the pool is below its
 * capacity, whatever its size. So a request larger than the whole pool is admitted once the pool
 * has room (at the latest when it is empty) and cannot wait forever, and the accounted bytes
 * never exceed the capacity plus one request. A connection refused memory stops reading and
 * registers a waiter; waiters are run when memory is returned.
 *
 * <p>An unbounded pool (capacity -1, Kafka's default) admits everything and counts nothing.
 * Thread-safe: reservations come from the processors' event loops, returns from any thread.
 */
final class RequestMemoryPool {

    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final Queue<Runnable> waiters = new ConcurrentLinkedQueue<>();

    /** A pool of {@code capacity} bytes; -1 for no bound. */
    RequestMemoryPool(long capacity) {
        if (capacity < 1 && capacity != -1) {
            throw new IllegalArgumentException("capacity must be positive or -1: " + capacity);
        }
        this.capacity = capacity;
    }

    private boolean isBounded() {
        return capacity > 0;
    }

    /** Reserves {@code bytes} if the pool is below its capacity; false if it is full. */
    boolean tryReserve(int bytes) {
        if (!isBounded()) {
            return true;
        }
        while (true) {
            long current = used.get();
            if (current >= capacity) {
                return false;
            }
            long next = current + bytes;
            if (used.compareAndSet(current, next)) {
                peak.accumulateAndGet(next, Math::max);
                return true;
            }
        }
    }

    /** Returns a reservation; wakes the waiters once the pool has room again. */
    void release(int bytes) {
        if (!isBounded()) {
            return;
        }
        long now = used.addAndGet(-bytes);
        if (now < capacity) {
            Runnable waiter;
            while ((waiter = waiters.poll()) != null) {
                waiter.run();
            }
        }
    }

    /**
     * Runs {@code waiter} once memory is returned. The caller retries its reservation right after
     * registering, since memory may have come back in between.
     */
    void onAvailable(Runnable waiter) {
        waiters.add(waiter);
    }

    /** Waiters registered and not yet run. */
    int waiterCount() {
        return waiters.size();
    }

    /** Bytes reserved now; 0 for an unbounded pool. */
    long used() {
        return used.get();
    }

    /** The most bytes ever reserved at once; 0 for an unbounded pool. */
    long peak() {
        return peak.get();
    }
}
