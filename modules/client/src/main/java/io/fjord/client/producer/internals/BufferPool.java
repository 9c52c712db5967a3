package io.fjord.client.producer.internals;

import io.fjord.client.producer.BufferExhaustedException;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The producer's memory: {@code buffer.memory} bytes, handed out as batch buffers. Buffers of the
 * poolable size ({@code batch.size}) are kept on a free list when released and reused; any other
 * size is allocated fresh and returns only its byte count.
 *
 * <p>Invariants, under {@link #lock}: {@code nonPooledAvailable + free.size() * poolableSize +
 * allocated == totalMemory}; threads that must wait queue in {@link #waiters} in arrival order, and
 * whenever memory is freed the first of them is woken, which wakes the next if memory is left. A
 * newcomer who finds memory free takes it without queueing, so waiters are served first come first
 * served among themselves.
 */
public final class BufferPool {

    private final long totalMemory;
    private final int poolableSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final ArrayDeque<Condition> waiters = new ArrayDeque<>();
    /** Memory not held by the free list nor by anyone who allocated it. */
    private long nonPooledAvailable;
    private volatile boolean closed;

    public BufferPool(long totalMemory, int poolableSize) {
        if (poolableSize <= 0 || totalMemory < poolableSize) {
            throw new IllegalArgumentException("buffer.memory " + totalMemory + " must hold at least one batch of "
                    + poolableSize + " bytes");
        }
        this.totalMemory = totalMemory;
        this.poolableSize = poolableSize;
        this.nonPooledAvailable = totalMemory;
    }

    /**
     * A buffer of {@code size} bytes (position 0, limit {@code size}), waiting at most
     * {@code maxBlockMs} for memory.
     *
     * @throws BufferExhaustedException if the memory did not come free in time
     * @throws IllegalArgumentException if {@code size} exceeds the whole pool
     * @throws IllegalStateException if the pool was closed while waiting
     */
    public ByteBuffer allocate(int size, long maxBlockMs) throws InterruptedException {
        if (size > totalMemory) {
            throw new IllegalArgumentException("A batch of " + size + " bytes does not fit in buffer.memory of "
                    + totalMemory + " bytes");
        }
        long reserved = 0;
        lock.lock();
        try {
            // Case 1: a pooled size and a free buffer.
            if (size == poolableSize && !free.isEmpty()) {
                return free.pollFirst();
            }
            // Cases 2 and 3: enough memory counting the free list; release free buffers into
            // non-pooled memory if that is what it takes.
            if (nonPooledAvailable + (long) free.size() * poolableSize >= size) {
                releaseFreeBuffersUntil(size);
                nonPooledAvailable -= size;
                reserved = size;
            } else {
                // Case 4: wait, in arrival order, collecting memory as it is freed.
                ByteBuffer pooled = awaitMemory(size, maxBlockMs);
                if (pooled != null) {
                    return pooled;
                }
                reserved = size;
            }
        } finally {
            wakeNextIfMemoryLeft();
            lock.unlock();
        }
        return allocateOutsideLock(size, reserved);
    }

    /** Waits for {@code size} bytes; returns a free pooled buffer if one came back, else null with the bytes reserved. */
    private ByteBuffer awaitMemory(int size, long maxBlockMs) throws InterruptedException {
        Condition moreMemory = lock.newCondition();
        waiters.addLast(moreMemory);
        long gathered = 0;
        long remainingNs = TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        try {
            while (gathered < size) {
                if (closed) {
                    throw new IllegalStateException("The producer is closing: no more memory is handed out");
                }
                if (remainingNs <= 0) {
                    throw new BufferExhaustedException("Failed to allocate " + size + " bytes within max.block.ms ("
                            + maxBlockMs + " ms): buffer.memory is " + totalMemory + " bytes, "
                            + (nonPooledAvailable + (long) free.size() * poolableSize) + " free");
                }
                remainingNs = moreMemory.awaitNanos(remainingNs);
                if (gathered == 0 && size == poolableSize && !free.isEmpty()) {
                    return free.pollFirst();
                }
                releaseFreeBuffersUntil(size - gathered);
                long taken = Math.min(size - gathered, nonPooledAvailable);
                nonPooledAvailable -= taken;
                gathered += taken;
            }
            return null;
        } catch (RuntimeException | InterruptedException e) {
            // Give back what was gathered, so no bytes leak.
            nonPooledAvailable += gathered;
            throw e;
        } finally {
            waiters.remove(moreMemory);
        }
    }

    private ByteBuffer allocateOutsideLock(int size, long reserved) {
        try {
            return ByteBuffer.allocate(size);
        } catch (OutOfMemoryError e) {
            lock.lock();
            try {
                nonPooledAvailable += reserved;
                wakeNextIfMemoryLeft();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** Moves free buffers into non-pooled memory until at least {@code size} bytes are non-pooled, or none is left. */
    private void releaseFreeBuffersUntil(long size) {
        while (nonPooledAvailable < size && !free.isEmpty()) {
            free.pollLast();
            nonPooledAvailable += poolableSize;
        }
    }

    private void wakeNextIfMemoryLeft() {
        if (!waiters.isEmpty() && (nonPooledAvailable > 0 || !free.isEmpty())) {
            waiters.peekFirst().signal();
        }
    }

    /**
     * Returns a buffer taken with {@code allocate(size, ...)}. A buffer of the poolable size goes
     * back on the free list; any other returns its bytes.
     */
    public void deallocate(ByteBuffer buffer, int size) {
        lock.lock();
        try {
            if (size == poolableSize && buffer.capacity() == poolableSize) {
                buffer.clear();
                free.addLast(buffer);
            } else {
                nonPooledAvailable += size;
            }
            Condition first = waiters.peekFirst();
            if (first != null) {
                first.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter, which then fails: used when the producer closes. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            waiters.forEach(Condition::signal);
        } finally {
            lock.unlock();
        }
    }

    /** Free memory: the free list and non-pooled bytes. */
    public long availableMemory() {
        lock.lock();
        try {
            return nonPooledAvailable + (long) free.size() * poolableSize;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes on the free list. */
    public long pooledFreeMemory() {
        lock.lock();
        try {
            return (long) free.size() * poolableSize;
        } finally {
            lock.unlock();
        }
    }

    /** Threads waiting for memory. */
    public int queued() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    public int poolableSize() {
        return poolableSize;
    }

    public long totalMemory() {
        return totalMemory;
    }
}
