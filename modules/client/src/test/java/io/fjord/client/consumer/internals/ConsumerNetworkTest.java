package io.fjord.client.consumer.internals;

import io.fjord.client.consumer.WakeupException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The application thread's wait: conditions that take other locks, signals under them, wake-ups. */
class ConsumerNetworkTest {

    private final ConsumerNetwork network = new ConsumerNetwork(null);

    /**
     * The heartbeat thread signals while holding the group's monitor, and the poll's condition
     * takes that monitor: a waiter stuck on the monitor must not keep the signaller from returning.
     */
    @Test
    void aSignalUnderALockTheConditionNeedsDoesNotDeadlock() throws Exception {
        Object groupMonitor = new Object();
        AtomicBoolean rejoinNeeded = new AtomicBoolean();
        CompletableFuture<Boolean> waited = new CompletableFuture<>();
        Thread waiter = new Thread(() -> waited.complete(network.await(30_000, () -> {
            synchronized (groupMonitor) {
                return rejoinNeeded.get();
            }
        })));
        CompletableFuture<Void> signalled = new CompletableFuture<>();
        Thread heartbeat = new Thread(() -> {
            synchronized (groupMonitor) {
                waiter.start();
                long deadline = System.currentTimeMillis() + 10_000;
                while (waiter.getState() != Thread.State.BLOCKED && System.currentTimeMillis() < deadline) {
                    Thread.onSpinWait();
                }
                rejoinNeeded.set(true);
                network.signal();
            }
            signalled.complete(null);
        });
        heartbeat.setDaemon(true);
        waiter.setDaemon(true);
        heartbeat.start();
        signalled.get(10, TimeUnit.SECONDS);
        assertTrue(waited.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aSignalAfterTheConditionWasCheckedIsNotLost() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Boolean> waited = new CompletableFuture<>();
        Thread waiter = new Thread(() -> waited.complete(network.await(30_000, done::get)));
        waiter.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.currentTimeMillis() < deadline, "the waiter never parked");
            Thread.sleep(1);
        }
        done.set(true);
        network.signal();
        assertTrue(waited.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aWaitEndsAtItsTimeoutWithoutTheCondition() {
        assertFalse(network.await(20, () -> false));
    }

    @Test
    void wakeupMakesTheWaitThrowOnce() {
        network.wakeup();
        assertThrows(WakeupException.class, () -> network.await(30_000, () -> false));
        assertTrue(network.await(0, () -> true));
    }
}
