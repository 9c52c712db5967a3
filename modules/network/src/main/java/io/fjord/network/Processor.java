package io.fjord.network;

import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * One processor event loop's response queue: handler threads (many producers) put completed
 * requests on it, the event loop (the single consumer) drains it and writes the responses.
 *
 * <p>Invariant: whenever the queue is non-empty, a drain is scheduled on the event loop or
 * running. {@code drainScheduled} keeps that to one pending task however many responses arrive,
 * and is cleared before draining, so a response added during a drain schedules another. The queue
 * holds at most one request per connection of this loop (one request at a time per connection),
 * so unbounded here means bounded by the connection count.
 */
final class Processor {
    private final EventLoop eventLoop;
    private final MpscUnboundedArrayQueue<NetworkRequest> completed = new MpscUnboundedArrayQueue<>(256);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    Processor(EventLoop eventLoop) {
        this.eventLoop = eventLoop;
    }

    EventLoop eventLoop() {
        return eventLoop;
    }

    /** Called by whichever thread completes a request. */
    void enqueueCompleted(NetworkRequest request) {
        completed.offer(request);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                eventLoop.execute(drain);
            } catch (RejectedExecutionException stopped) {
                // The event loop is gone (shutdown past its deadline): nothing will write, so free now.
                drainScheduled.set(false);
                NetworkRequest r;
                while ((r = completed.poll()) != null) {
                    r.connection().abandon(r);
                }
            }
        }
    }

    private void drain() {
        drainScheduled.set(false);
        NetworkRequest request;
        while ((request = completed.poll()) != null) {
            request.connection().respond(request);
        }
    }
}
