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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
        for (Map<String, String> bad : java.util.List.of(Map.of("num.io.threads", "0"),
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
