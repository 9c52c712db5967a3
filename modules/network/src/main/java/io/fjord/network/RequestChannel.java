package io.fjord.network;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpmcArrayQueue;

/**
 * The bounded queue of parsed requests between the processors (producers) and the handler
 * threads (consumers), Kafka's {@code queued.max.requests}.
 *
 * <p>Invariants: at most {@code capacity} requests are queued (exactly, although the JCTools
 * array is a power of two); {@code available} has one permit per queued request, so a handler
 * thread that finds the queue empty parks in {@link #take} instead of spinning. A processor whose
 * {@link #offer} failed registers a waiter that runs as soon as a handler takes a request, and
 * then tries once more itself, so a wake-up between its failed offer and its registration is not
 * lost.
 */
final class RequestChannel {
    private final int capacity;
    private final MpmcArrayQueue<NetworkRequest> queue;
    private final AtomicInteger reserved = new AtomicInteger();
    private final Semaphore available = new Semaphore(0);
    private final Queue<Runnable> spaceWaiters = new ConcurrentLinkedQueue<>();

    RequestChannel(int capacity) {
        this.capacity = capacity;
        this.queue = new MpmcArrayQueue<>(Math.max(2, capacity));
    }

    /** Queues a request; {@code false} (and nothing queued) if the channel is full. */
    boolean offer(NetworkRequest request) {
        if (reserved.getAndIncrement() >= capacity) {
            reserved.decrementAndGet();
            return false;
        }
        // Cannot fail: the array holds at least capacity elements and reserved bounds them.
        queue.offer(request);
        available.release();
        return true;
    }

    /** Runs {@code waiter} once, on a handler thread, the next time a request leaves the channel. */
    void onSpace(Runnable waiter) {
        spaceWaiters.add(waiter);
    }

    /** Takes the oldest request, parking while there is none. */
    NetworkRequest take() throws InterruptedException {
        available.acquire();
        return dequeue();
    }

    /** Takes the oldest request, or {@code null} if none arrives within the timeout. */
    NetworkRequest poll(long timeout, TimeUnit unit) throws InterruptedException {
        return available.tryAcquire(timeout, unit) ? dequeue() : null;
    }

    private NetworkRequest dequeue() {
        // A permit means an element was fully offered, so this strict poll finds one.
        NetworkRequest request = queue.poll();
        reserved.decrementAndGet();
        Runnable waiter;
        while ((waiter = spaceWaiters.poll()) != null) {
            waiter.run();
        }
        return request;
    }

    int size() {
        return reserved.get();
    }
}
