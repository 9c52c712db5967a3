package io.fjord.network;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpmcArrayQueue;

/**
 * The bounded queue of parsed requests between the processors (producers) and the handler
 * threads (consumers), Kafka's {@code queued.max.requests}.
 *
 * <p>Invariants: at most {@code capacity} requests are queued (exactly, although the JCTools
 * array is a power of two). A processor whose {@link #offer} failed registers a waiter that runs
 * as soon as a handler takes a request, and then tries once more itself, so a wake-up between its
 * failed offer and its registration is not lost.
 *
 * <p>Wake-ups: an offer wakes at most one handler, the one that went idle last (its caches are the
 * warmest). A semaphore did this before, but each handler that acquired a permit also woke the
 * next waiting one, which found nothing and parked again: two futex wakes and two context
 * switches per request where one does. A handler registers in {@link #idle} and only then looks
 * at the queue once more before it parks; an offer queues its request and only then takes a
 * handler from {@link #idle}. Both steps of each side are ordered by the lock on {@link #idle}, so
 * either the handler's second look finds the request or the offer finds the handler. A handler
 * that was taken from {@link #idle} but ends up with another request (or none) passes the wake on
 * when requests are still queued, so no request waits behind a busy handler while another idles.
 */
final class RequestChannel {
    private final int capacity;
    private final MpmcArrayQueue<NetworkRequest> queue;
    private final AtomicInteger reserved = new AtomicInteger();
    /** Handler threads parked for a request, the most recently idle last; guarded by itself. */
    private final ArrayDeque<Thread> idle = new ArrayDeque<>();
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
        wakeOne();
        return true;
    }

    /** Runs {@code waiter} once, on a handler thread, the next time a request leaves the channel. */
    void onSpace(Runnable waiter) {
        spaceWaiters.add(waiter);
    }

    /** Takes the oldest request, parking while there is none. */
    NetworkRequest take() throws InterruptedException {
        NetworkRequest request;
        do {
            request = poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } while (request == null);
        return request;
    }

    /** Takes the oldest request, or {@code null} if none arrives within the timeout. */
    NetworkRequest poll(long timeout, TimeUnit unit) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long start = System.nanoTime();
        long timeoutNanos = unit.toNanos(timeout);
        Thread self = Thread.currentThread();
        while (true) {
            NetworkRequest request = dequeue();
            if (request != null) {
                return request;
            }
            long left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return null;
            }
            synchronized (idle) {
                idle.addLast(self);
            }
            // An offer that came before the registration found no handler to wake: look again.
            request = dequeue();
            if (request == null) {
                LockSupport.parkNanos(this, left);
                if (!Thread.currentThread().isInterrupted()) {
                    request = dequeue();
                }
            }
            boolean taken;
            synchronized (idle) {
                taken = !idle.removeLastOccurrence(self);
            }
            if (taken && (request != null || Thread.currentThread().isInterrupted())) {
                // An offer took this thread from the idle list for its request, which may be
                // another than the one this thread got: while requests are queued, wake another.
                wakeOneIfQueued();
            }
            if (request != null) {
                return request;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private void wakeOneIfQueued() {
        if (reserved.get() > 0) {
            wakeOne();
        }
    }

    private void wakeOne() {
        Thread handler;
        synchronized (idle) {
            handler = idle.pollLast();
        }
        if (handler != null) {
            LockSupport.unpark(handler);
        }
    }

    /** The oldest request, or {@code null} if none is queued. */
    private NetworkRequest dequeue() {
        // poll (not relaxedPoll) waits out an offer that has claimed a slot but not yet filled it.
        NetworkRequest request = queue.poll();
        if (request == null) {
            return null;
        }
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

    /** How many handler threads are parked for a request (for tests). */
    int idleHandlers() {
        synchronized (idle) {
            return idle.size();
        }
    }
}
