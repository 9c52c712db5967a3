package io.fjord.network;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Connection counters of a socket server: open, accepted, refused and closed for a reason. */
public final class ConnectionMetrics {
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder invalidRequests = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();

    ConnectionMetrics() {
    }

    /** Counts a new connection unless {@code max} are already open; {@code false} means refuse it. */
    boolean tryOpen(int max) {
        while (true) {
            int current = open.get();
            if (current >= max) {
                refused.increment();
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                accepted.increment();
                return true;
            }
        }
    }

    void closed() {
        open.decrementAndGet();
    }

    void closedInvalid() {
        invalidRequests.increment();
    }

    void closedIdle() {
        idleClosed.increment();
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }

    /** Connections accepted since start. */
    public long accepted() {
        return accepted.sum();
    }

    /** Connections closed at accept because {@code max.connections} were open. */
    public long refused() {
        return refused.sum();
    }

    /** Connections closed for a bad size prefix, a malformed header, an unknown API key or an unsupported version. */
    public long invalidRequests() {
        return invalidRequests.sum();
    }

    /** Connections closed after {@code connections.max.idle.ms} without traffic. */
    public long idleClosed() {
        return idleClosed.sum();
    }
}
