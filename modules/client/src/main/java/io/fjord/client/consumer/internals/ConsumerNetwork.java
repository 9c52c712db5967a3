package io.fjord.client.consumer.internals;

import io.fjord.client.consumer.WakeupException;
import io.fjord.client.network.NetworkClient;
import io.fjord.protocol.message.ApiMessage;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * The consumer's side of the network client: requests as futures, and one place where the
 * application's thread waits for them. Every response signals the waiter, so {@link #await} wakes
 * as soon as its condition may hold; {@link #wakeup} makes the current or next wait throw {@link
 * WakeupException} once.
 *
 * <p>Invariant: a waiter notes the count of signals, checks its condition outside the monitor and
 * waits only if no signal came since; completions count and notify after changing state, so no
 * wake-up is lost. The condition takes other locks (the group membership's), and signals come from
 * threads that hold those (a heartbeat whose send completes at once), so it never runs under the
 * monitor: the two lock orders would deadlock.
 */
public final class ConsumerNetwork {

    private final NetworkClient client;
    private final Object signal = new Object();
    private long signals;
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
        synchronized (signal) {
            signals++;
            signal.notifyAll();
        }
    }

    /**
     * Waits until {@code done} holds or {@code timeoutMs} passed; returns whether it holds.
     *
     * @throws WakeupException if {@link #wakeup} was called since the last such exception
     */
    public boolean await(long timeoutMs, BooleanSupplier done) {
        long deadline = System.nanoTime() + Math.max(0, timeoutMs) * 1_000_000L;
        while (true) {
            long seen;
            synchronized (signal) {
                seen = signals;
            }
            maybeTriggerWakeup();
            if (done.getAsBoolean()) {
                return true;
            }
            long remainingNs = deadline - System.nanoTime();
            if (remainingNs <= 0) {
                return false;
            }
            synchronized (signal) {
                if (signals != seen) {
                    continue;
                }
                try {
                    signal.wait(Math.max(1, remainingNs / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new io.fjord.client.errors.ClientException(io.fjord.common.errors.Errors.UNKNOWN_SERVER_ERROR,
                            "Interrupted while waiting", e);
                }
            }
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
