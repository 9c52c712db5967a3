package io.fjord.client.consumer.internals;

import io.fjord.client.consumer.WakeupException;
import io.fjord.client.network.NetworkClient;
import io.fjord.protocol.message.ApiMessage;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The consumer's side of the network client: requests as futures, and one place where the
 * application's thread waits for them. Every response signals the waiter, so {@link #await} wakes
 * as soon as its condition may hold; {@link #wakeup} makes the current or next wait throw {@link
 * WakeupException} once.
 *
 * <p>Waiting holds no lock: a waiter registers its thread, then checks its condition and parks;
 * {@link #signal} unparks every registered thread. A signal that comes between the check and the
 * park leaves the thread a permit, so the park returns at once and no wake-up is lost. Signals
 * come from I/O threads and from the heartbeat thread while it holds the group's monitor, and
 * conditions may take that monitor: neither side ever blocks on the other's lock.
 */
public final class ConsumerNetwork {

    private final NetworkClient client;
    private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
    private volatile boolean wakeupRequested;

    public ConsumerNetwork(NetworkClient client) {
        this.client = client;
    }

    public NetworkClient client() {
        return client;
    }

    /** Sends at the negotiated version; the future completes on the I/O thread, then waiters wake. */
    public <R extends ApiMessage> CompletableFuture<R> send(int node, ApiMessage request, Class<R> responseType) {
        return send(client, node, request, responseType);
    }

    /** As {@link #send(int, ApiMessage, Class)} through another client (the group coordinator's connection). */
    public <R extends ApiMessage> CompletableFuture<R> send(NetworkClient via, int node, ApiMessage request,
                                                            Class<R> responseType) {
        CompletableFuture<R> future = new CompletableFuture<>();
        via.send(node, request, (response, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(responseType.cast(response));
            }
            signal();
        });
        return future;
    }

    /** Sends at {@code version}, which the node must advertise. */
    public <R extends ApiMessage> CompletableFuture<R> send(int node, ApiMessage request, short version,
                                                            Class<R> responseType) {
        CompletableFuture<R> future = new CompletableFuture<>();
        client.send(node, request, version, (response, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(responseType.cast(response));
            }
            signal();
        });
        return future;
    }

    /** Wakes every waiter so it checks its condition again. */
    public void signal() {
        for (Thread waiter : waiters) {
            LockSupport.unpark(waiter);
        }
    }

    /**
     * Waits until {@code done} holds or {@code timeoutMs} passed; returns whether it holds.
     *
     * @throws WakeupException if {@link #wakeup} was called since the last such exception
     */
    public boolean await(long timeoutMs, BooleanSupplier done) {
        long deadline = System.nanoTime() + Math.max(0, timeoutMs) * 1_000_000L;
        Thread self = Thread.currentThread();
        waiters.add(self);
        try {
            while (true) {
                maybeTriggerWakeup();
                if (done.getAsBoolean()) {
                    return true;
                }
                long remainingNs = deadline - System.nanoTime();
                if (remainingNs <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, remainingNs);
                if (Thread.interrupted()) {
                    self.interrupt();
                    throw new io.fjord.client.errors.ClientException(io.fjord.common.errors.Errors.UNKNOWN_SERVER_ERROR,
                            "Interrupted while waiting");
                }
            }
        } finally {
            waiters.remove(self);
        }
    }

    /** Waits for {@code future} at most {@code timeoutMs}; returns whether it is done. */
    public boolean await(long timeoutMs, CompletableFuture<?> future) {
        return await(timeoutMs, future::isDone);
    }

    /** Throws the pending wake-up, if any, without waiting. */
    public void maybeTriggerWakeup() {
        if (wakeupRequested) {
            wakeupRequested = false;
            throw new WakeupException();
        }
    }

    public void wakeup() {
        wakeupRequested = true;
        signal();
    }
}
