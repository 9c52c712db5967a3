package io.fjord.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.RequestHeader;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestChannelTest {

    private static NetworkRequest request(int correlationId) {
        return new NetworkRequest(null, new RequestHeader(ApiKeys.METADATA, (short) 4, correlationId, "t"),
                Unpooled.EMPTY_BUFFER, ByteBuffer.allocate(0), 0, System.nanoTime());
    }

    @Test
    void holdsExactlyItsCapacityEvenWhenThatIsNotAPowerOfTwo() throws Exception {
        RequestChannel channel = new RequestChannel(5);
        for (int i = 0; i < 5; i++) {
            assertTrue(channel.offer(request(i)));
        }
        assertFalse(channel.offer(request(5)));
        assertEquals(5, channel.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i, channel.take().header().correlationId(), "first in, first out");
        }
        assertNull(channel.poll(0, TimeUnit.NANOSECONDS));
    }

    @Test
    void aWaiterRunsOnceWhenARequestLeaves() throws Exception {
        RequestChannel channel = new RequestChannel(1);
        assertTrue(channel.offer(request(1)));
        assertFalse(channel.offer(request(2)));
        AtomicInteger woken = new AtomicInteger();
        channel.onSpace(woken::incrementAndGet);
        assertEquals(0, woken.get());
        channel.take();
        assertEquals(1, woken.get());
        assertTrue(channel.offer(request(2)));
        channel.take();
        assertEquals(1, woken.get(), "a waiter runs once");
    }

    @Test
    void takeParksUntilARequestArrives() throws Exception {
        RequestChannel channel = new RequestChannel(4);
        CompletableFuture<NetworkRequest> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return channel.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertFalse(taken.isDone());
        NetworkRequest sent = request(3);
        assertTrue(channel.offer(sent));
        assertSame(sent, taken.get(20, TimeUnit.SECONDS));
    }

    private static void awaitIdle(RequestChannel channel, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (channel.idleHandlers() != count) {
            assertTrue(System.nanoTime() < deadline, "idle handlers: " + channel.idleHandlers() + ", expected " + count);
            Thread.sleep(1);
        }
    }

    private static CompletableFuture<String> takeOn(RequestChannel channel, String name) {
        CompletableFuture<String> taken = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                taken.complete(name + ":" + channel.take().header().correlationId());
            } catch (InterruptedException e) {
                taken.complete(name + ":interrupted");
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return taken;
    }

    @Test
    void anOfferWakesOnlyTheHandlerThatWentIdleLast() throws Exception {
        RequestChannel channel = new RequestChannel(4);
        CompletableFuture<String> first = takeOn(channel, "first");
        awaitIdle(channel, 1);
        CompletableFuture<String> second = takeOn(channel, "second");
        awaitIdle(channel, 2);
        CompletableFuture<String> third = takeOn(channel, "third");
        awaitIdle(channel, 3);

        assertTrue(channel.offer(request(7)));
        assertEquals("third:7", third.get(20, TimeUnit.SECONDS), "the warmest handler takes it");
        awaitIdle(channel, 2); // the others were not taken from the idle list
        assertFalse(first.isDone() || second.isDone());

        assertTrue(channel.offer(request(8)));
        assertEquals("second:8", second.get(20, TimeUnit.SECONDS));
        assertTrue(channel.offer(request(9)));
        assertEquals("first:9", first.get(20, TimeUnit.SECONDS));
        assertEquals(0, channel.idleHandlers());
    }

    @Test
    void anInterruptedHandlerLeavesTheIdleListAndTheRequestsStayQueued() throws Exception {
        RequestChannel channel = new RequestChannel(4);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread handler = new Thread(() -> {
            try {
                channel.poll(1, TimeUnit.HOURS);
                failure.complete(null);
            } catch (Throwable e) {
                failure.complete(e);
            }
        });
        handler.start();
        awaitIdle(channel, 1);
        handler.interrupt();
        assertTrue(failure.get(20, TimeUnit.SECONDS) instanceof InterruptedException);
        assertEquals(0, channel.idleHandlers());
        assertTrue(channel.offer(request(1)));
        assertEquals(1, channel.poll(0, TimeUnit.NANOSECONDS).header().correlationId());
    }

    @Test
    void manyProcessorsAndHandlersLoseNoRequestAndNoWakeUp() throws Exception {
        RequestChannel channel = new RequestChannel(8);
        int perProducer = 20_000;
        int producers = 2;
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        List<Thread> handlers = new ArrayList<>();
        for (int h = 0; h < 4; h++) {
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        // A long poll: a lost wake-up would leave requests queued until the deadline below.
                        NetworkRequest r = channel.poll(1, TimeUnit.HOURS);
                        if (r != null && !seen.add(r.header().correlationId())) {
                            duplicates.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            });
            t.setDaemon(true);
            t.start();
            handlers.add(t);
        }
        List<Thread> sources = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            Thread t = new Thread(() -> {
                for (int i = 0; i < perProducer; i++) {
                    NetworkRequest r = request(base + i);
                    while (!channel.offer(r)) {
                        Thread.onSpinWait();
                    }
                    if (i % 1000 == 0) {
                        // Let the handlers drain and park, so later offers must wake them.
                        awaitQuietly(channel);
                    }
                }
            });
            t.start();
            sources.add(t);
        }
        for (Thread t : sources) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (seen.size() < producers * perProducer && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        for (Thread t : handlers) {
            t.interrupt();
        }
        assertEquals(producers * perProducer, seen.size(), "every request taken; queued: " + channel.size());
        assertEquals(0, duplicates.get());
        assertEquals(0, channel.size());
    }

    private static void awaitQuietly(RequestChannel channel) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (channel.size() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @Test
    void configurationUsesKafkasNamesAndDefaultsAndRejectsNonsense() {
        NetworkConfig defaults = NetworkConfig.from("127.0.0.1", 0, Map.of());
        assertEquals(3, defaults.numNetworkThreads());
        assertEquals(8, defaults.numIoThreads());
        assertEquals(500, defaults.queuedMaxRequests());
        assertEquals(-1L, defaults.queuedMaxRequestBytes());
        assertEquals(104_857_600, defaults.socketRequestMaxBytes());
        assertEquals(Integer.MAX_VALUE, defaults.maxConnections());
        assertEquals(600_000L, defaults.connectionsMaxIdleMs());
        assertEquals(102_400, defaults.socketSendBufferBytes());
        NetworkConfig custom = NetworkConfig.from("127.0.0.1", 0, Map.of("num.io.threads", " 2 ",
                "max.connections", "10", "queued.max.request.bytes", "5000000000", "unrelated.key", "x"));
        assertEquals(5_000_000_000L, custom.queuedMaxRequestBytes());
        assertEquals(2, custom.numIoThreads());
        assertEquals(10, custom.maxConnections());
        for (Map<String, String> bad : List.of(Map.of("num.io.threads", "0"),
                Map.of("queued.max.requests", "many"), Map.of("socket.request.max.bytes", "-1"),
                Map.of("max.connections", "3000000000"), Map.of("fjord.network.transport", "kqueue"),
                Map.of("queued.max.request.bytes", "0"))) {
            assertThrows(IllegalArgumentException.class, () -> NetworkConfig.from("127.0.0.1", 0, bad), bad.toString());
        }
    }

    @Test
    void histogramQuantilesAreUpperBoundsWithinAFactorOfTwo() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertEquals(0, histogram.quantileUpperBoundNanos(0.99));
        for (int i = 1; i <= 1000; i++) {
            histogram.record(i * 1000L);
        }
        histogram.record(-5);
        assertEquals(1001, histogram.count());
        assertEquals(1_000_000L, histogram.max(TimeUnit.NANOSECONDS));
        assertEquals(500_500L, histogram.sum(TimeUnit.MICROSECONDS));
        long p50 = histogram.quantileUpperBoundNanos(0.5);
        assertTrue(p50 >= 500_000 && p50 < 1_000_000, "p50 " + p50);
        assertEquals(1_000_000L, histogram.quantileUpperBoundNanos(1.0));
        assertEquals(0, histogram.quantileUpperBoundNanos(0.0));
    }
}
