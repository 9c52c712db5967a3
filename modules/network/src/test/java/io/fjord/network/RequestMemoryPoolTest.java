package io.fjord.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.network.testing.WireClient;
import io.fjord.protocol.message.ApiKeys;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code queued.max.request.bytes}: the pool's admission rule, and real connections that stop
 * being read while the requests in flight hold the pool, and resume when their memory returns.
 */
class RequestMemoryPoolTest extends ServerFixture {

    @Test
    void admitsWhileBelowCapacityAndWakesWaitersWhenMemoryReturns() {
        RequestMemoryPool pool = new RequestMemoryPool(100);
        assertTrue(pool.tryReserve(60));
        assertTrue(pool.tryReserve(60), "below capacity: admitted whatever its size");
        assertFalse(pool.tryReserve(1), "at or above capacity: refused");
        AtomicInteger woken = new AtomicInteger();
        pool.onAvailable(woken::incrementAndGet);
        pool.release(10);
        assertEquals(0, woken.get(), "110 bytes are still at or above the capacity");
        pool.release(60);
        assertEquals(1, woken.get());
        assertEquals(50, pool.used());
        assertEquals(120, pool.peak());
        pool.release(50);
        assertEquals(0, pool.used());

        assertTrue(pool.tryReserve(1_000), "a request larger than the pool is admitted when it is empty");
        assertThrows(IllegalArgumentException.class, () -> new RequestMemoryPool(0));
        RequestMemoryPool unbounded = new RequestMemoryPool(-1);
        assertTrue(unbounded.tryReserve(Integer.MAX_VALUE));
        assertEquals(0, unbounded.used());
    }

    @Test
    void connectionsStopReadingWhileThePoolIsFullAndResumeWhenAnswered() throws Exception {
        LinkedBlockingQueue<NetworkRequest> held = new LinkedBlockingQueue<>();
        SocketServer server = start(Map.of(NetworkConfig.QUEUED_MAX_REQUEST_BYTES, "10000",
                NetworkConfig.NUM_NETWORK_THREADS, "2"), held::add);
        ByteBuffer request = WireClient.request(ApiKeys.METADATA, (short) 4, 1, ByteBuffer.allocate(8_000));
        int frame = request.remaining();
        List<WireClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                clients.add(new WireClient(server.boundAddress()).send(request));
            }
            // Two 8 kB requests fill the 10 kB pool; the other two connections wait, unread.
            await("two requests held and two connections waiting for memory",
                    () -> held.size() == 2 && server.memoryPool().waiterCount() >= 2);
            assertEquals(2, server.requestsInFlight(), "the waiting requests were not parsed");
            assertEquals(2L * frame, server.requestBytesInFlight());

            // Each answer returns memory, and a waiting connection is read again.
            for (int answered = 0; answered < 4; answered++) {
                NetworkRequest next = held.poll(20, TimeUnit.SECONDS);
                assertNotNull(next, "request " + answered + " was admitted");
                assertTrue(server.requestBytesInFlight() <= 10_000 + frame);
                next.sendResponse(TestHandlers.echo(next));
            }
            for (WireClient client : clients) {
                assertEquals(4 + 8_000, client.receive().remaining(), "correlation id and the echoed body");
            }
            await("the pool to empty", () -> server.requestBytesInFlight() == 0);
            assertEquals(2L * frame, server.peakRequestBytesInFlight(), "never more than the limit plus one request");

            // A request larger than the whole pool is admitted when the pool is empty.
            ByteBuffer big = WireClient.request(ApiKeys.METADATA, (short) 4, 2, ByteBuffer.allocate(30_000));
            clients.get(0).send(big);
            NetworkRequest bigRequest = held.poll(20, TimeUnit.SECONDS);
            assertNotNull(bigRequest);
            assertEquals(big.remaining(), server.requestBytesInFlight());
            bigRequest.sendResponse(TestHandlers.echo(bigRequest));
            clients.get(0).receive();
            await("the pool to empty again", () -> server.requestBytesInFlight() == 0);
        } finally {
            for (WireClient c : clients) {
                c.close();
            }
        }
    }
}
