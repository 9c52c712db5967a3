package io.fjord.client.producer.internals;

import io.fjord.client.producer.BufferExhaustedException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferPoolTest {

    private static final int BATCH = 1024;

    @Test
    void aPooledSizeReusesAFreeBuffer() throws Exception {
        BufferPool pool = new BufferPool(4 * BATCH, BATCH);
        ByteBuffer first = pool.allocate(BATCH, 0);
        first.put((byte) 7);
        pool.deallocate(first, BATCH);
        assertEquals(BATCH, pool.pooledFreeMemory());
        ByteBuffer again = pool.allocate(BATCH, 0);
        assertSame(first, again);
        assertEquals(0, again.position(), "a reused buffer comes back cleared");
        assertEquals(3 * BATCH, pool.availableMemory());
    }

    @Test
    void aPooledSizeWithNoneFreeComesFromNonPooledMemory() throws Exception {
        BufferPool pool = new BufferPool(4 * BATCH, BATCH);
        ByteBuffer buffer = pool.allocate(BATCH, 0);
        assertEquals(BATCH, buffer.capacity());
        assertEquals(3 * BATCH, pool.availableMemory());
        assertEquals(0, pool.pooledFreeMemory());
    }

    @Test
    void anotherSizeTakesNonPooledMemoryAndReturnsOnlyItsBytes() throws Exception {
        BufferPool pool = new BufferPool(4 * BATCH, BATCH);
        ByteBuffer big = pool.allocate(2 * BATCH + 10, 0);
        assertEquals(2 * BATCH + 10, big.capacity());
        assertEquals(2 * BATCH - 10, pool.availableMemory());
        pool.deallocate(big, big.capacity());
        assertEquals(4 * BATCH, pool.availableMemory());
        assertEquals(0, pool.pooledFreeMemory(), "a buffer of another size never joins the free list");
    }

    @Test
    void anotherSizeReleasesFreeBuffersIntoNonPooledMemory() throws Exception {
        BufferPool pool = new BufferPool(4 * BATCH, BATCH);
        ByteBuffer[] held = new ByteBuffer[4];
        for (int i = 0; i < 4; i++) {
            held[i] = pool.allocate(BATCH, 0);
        }
        for (ByteBuffer buffer : held) {
            pool.deallocate(buffer, BATCH);
        }
        assertEquals(4 * BATCH, pool.pooledFreeMemory());
        ByteBuffer big = pool.allocate(3 * BATCH, 0);
        assertEquals(3 * BATCH, big.capacity());
        assertEquals(BATCH, pool.pooledFreeMemory(), "three free buffers became non-pooled memory");
        assertEquals(BATCH, pool.availableMemory());
    }

    @Test
    void aWaitBeyondMaxBlockFailsTypedAndLeaksNothing() throws Exception {
        BufferPool pool = new BufferPool(2 * BATCH, BATCH);
        ByteBuffer a = pool.allocate(BATCH, 0);
        ByteBuffer b = pool.allocate(BATCH, 0);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            // Wants both batches' memory; gets one of them back, then times out holding it.
            CompletableFuture<ByteBuffer> waiting = CompletableFuture.supplyAsync(() -> allocate(pool, 2 * BATCH, 300),
                    executor);
            awaitQueued(pool, 1);
            pool.deallocate(a, BATCH);
            ExecutionException failure = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(BufferExhaustedException.class, failure.getCause().getCause());
            assertEquals(BATCH, pool.availableMemory(), "the partly gathered memory went back");
            assertEquals(0, pool.queued());
            pool.deallocate(b, BATCH);
            assertEquals(2 * BATCH, pool.availableMemory());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void waitersAreServedFirstComeFirstServed() throws Exception {
        BufferPool pool = new BufferPool(BATCH, BATCH);
        ByteBuffer held = pool.allocate(BATCH, 0);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<ByteBuffer> first = CompletableFuture.supplyAsync(() -> allocate(pool, BATCH, 30_000), executor);
            awaitQueued(pool, 1);
            CompletableFuture<ByteBuffer> second = CompletableFuture.supplyAsync(() -> allocate(pool, BATCH, 30_000), executor);
            awaitQueued(pool, 2);
            pool.deallocate(held, BATCH);
            ByteBuffer firstGot = first.get(10, TimeUnit.SECONDS);
            assertFalse(second.isDone(), "the later waiter must not overtake the earlier one");
            pool.deallocate(firstGot, BATCH);
            assertEquals(BATCH, second.get(10, TimeUnit.SECONDS).capacity());
            assertEquals(0, pool.queued());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aBatchLargerThanTheWholePoolIsRefused() {
        BufferPool pool = new BufferPool(2 * BATCH, BATCH);
        assertThrows(IllegalArgumentException.class, () -> pool.allocate(2 * BATCH + 1, 0));
        assertEquals(2 * BATCH, pool.availableMemory());
    }

    @Test
    void closingFailsWaiters() throws Exception {
        BufferPool pool = new BufferPool(BATCH, BATCH);
        pool.allocate(BATCH, 0);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<ByteBuffer> waiting = CompletableFuture.supplyAsync(() -> allocate(pool, BATCH, 30_000), executor);
            awaitQueued(pool, 1);
            pool.close();
            ExecutionException failure = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, failure.getCause().getCause());
        } finally {
            executor.shutdownNow();
        }
    }

    private static ByteBuffer allocate(BufferPool pool, int size, long maxBlockMs) {
        try {
            return pool.allocate(size, maxBlockMs);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitQueued(BufferPool pool, int waiters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.queued() < waiters) {
            assertTrue(System.nanoTime() < deadline, "no thread started waiting");
            Thread.sleep(1);
        }
    }
}
