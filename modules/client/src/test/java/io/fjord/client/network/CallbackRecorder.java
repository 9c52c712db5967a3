package io.fjord.client.network;

import io.fjord.protocol.message.ApiMessage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handlers that record each outcome and count calls, so a test can check every request ended exactly once. */
final class CallbackRecorder {

    record Outcome(int request, ApiMessage response, RuntimeException error) {
    }

    private final int expected;
    private final CountDownLatch done;
    private final AtomicInteger[] calls;
    final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

    CallbackRecorder(int expected) {
        this.expected = expected;
        this.done = new CountDownLatch(expected);
        this.calls = new AtomicInteger[expected];
        for (int i = 0; i < expected; i++) {
            calls[i] = new AtomicInteger();
        }
    }

    ResponseHandler handler(int request) {
        return (response, error) -> {
            calls[request].incrementAndGet();
            outcomes.add(new Outcome(request, response, error));
            done.countDown();
        };
    }

    /** Waits until every request has an outcome, then checks none had two. */
    void awaitAllOnce(long timeoutMs) throws InterruptedException {
        assertTrue(done.await(timeoutMs, TimeUnit.MILLISECONDS),
                "only " + outcomes.size() + " of " + expected + " handlers ran");
        for (int i = 0; i < expected; i++) {
            assertEquals(1, calls[i].get(), "handler calls for request " + i);
        }
    }

    Outcome outcome(int request) {
        return outcomes.stream().filter(o -> o.request() == request).findFirst().orElseThrow();
    }
}
