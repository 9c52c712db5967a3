package io.fjord.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fjord.network.testing.WireClient;
import io.fjord.protocol.message.ApiKeys;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

class SocketServerTest extends ServerFixture {

    private static final Map<String, String> DEFAULTS = Map.of();

    @Test
    void kafkaBuiltApiVersionsRequestsPipelinedOnOneConnectionAreAnsweredInOrder() throws Exception {
        SocketServer server = start(DEFAULTS, TestHandlers.apiVersionsOrEcho());
        int count = 500;
        List<RequestHeader> headers = new ArrayList<>();
        try (WireClient client = new WireClient(server.boundAddress())) {
            for (int i = 0; i < count; i++) {
                short version = (short) (i % 5);
                RequestHeader header = new RequestHeader(org.apache.kafka.common.protocol.ApiKeys.API_VERSIONS,
                        version, "kafka-client", 1000 + i);
                headers.add(header);
                client.write(new ApiVersionsRequest.Builder().build(version).serializeWithHeader(header));
            }
            client.flush();
            for (RequestHeader header : headers) {
                AbstractResponse response = AbstractResponse.parseResponse(client.receive(), header);
                ApiVersionsResponse apiVersions = assertInstanceOf(ApiVersionsResponse.class, response);
                assertEquals(0, apiVersions.data().errorCode());
                ApiVersionsResponseData.ApiVersion fetch = apiVersions.apiVersion(ApiKeys.FETCH.id());
                assertEquals(ApiKeys.FETCH.latestVersion(), fetch.maxVersion());
            }
        }
        RequestMetrics.ApiMetrics metrics = server.requestMetrics().api(ApiKeys.API_VERSIONS);
        await("every send time is recorded", () -> metrics.responseSendTime().count() == count);
        assertEquals(count, metrics.requestQueueTime().count());
        assertEquals(count, metrics.handleTime().count());
        assertEquals(count, metrics.responseQueueTime().count());
        assertEquals(0, server.requestMetrics().api(ApiKeys.FETCH).handleTime().count());
    }

    @Test
    void anApiVersionsRequestOfAnUnknownVersionGetsTheVersionZeroErrorBody() throws Exception {
        SocketServer server = start(DEFAULTS, TestHandlers.apiVersionsOrEcho());
        short tooNew = 99;
        try (WireClient client = new WireClient(server.boundAddress())) {
            ByteBuffer frame = client.send(WireClient.request(ApiKeys.API_VERSIONS, tooNew, 7,
                    ByteBuffer.allocate(0))).receive();
            assertEquals(7, frame.getInt(), "response header v0: the correlation id only");
            // Kafka's client parses at the version it sent and falls back to v0, as it does on the wire.
            ApiVersionsResponse response = ApiVersionsResponse.parse(new ByteBufferAccessor(frame), tooNew);
            assertEquals(org.apache.kafka.common.protocol.Errors.UNSUPPORTED_VERSION.code(),
                    response.data().errorCode());
            assertEquals(ApiKeys.API_VERSIONS.latestVersion(),
                    response.apiVersion(ApiKeys.API_VERSIONS.id()).maxVersion());
        }
    }

    @Test
    void unknownApiKeysAndUnsupportedVersionsCloseTheConnectionWhileOthersAreServed() throws Exception {
        SocketServer server = start(DEFAULTS, TestHandlers.apiVersionsOrEcho());
        ByteBuffer unknownKey = ByteBuffer.allocate(10).putShort((short) 9999).putShort((short) 0)
                .putInt(1).putShort((short) -1).flip();
        ByteBuffer metadataV99 = WireClient.request(ApiKeys.METADATA, (short) 0, 2, ByteBuffer.allocate(0));
        metadataV99.putShort(2, (short) 99);
        ByteBuffer truncatedHeader = ByteBuffer.wrap(new byte[] {0, 3, 0});
        for (ByteBuffer bad : List.of(unknownKey, metadataV99, truncatedHeader)) {
            try (WireClient client = new WireClient(server.boundAddress())) {
                assertTrue(client.send(bad).closedByServer());
            }
        }
        assertEquals(3, server.connectionMetrics().invalidRequests());
        assertServes(server);
    }

    @Test
    void pipelinedRequestsOnManyConnectionsWithASlowHandlerComeBackInOrder() throws Exception {
        Random delays = new Random(17);
        long[] delayNanos = new long[4096];
        for (int i = 0; i < delayNanos.length; i++) {
            delayNanos[i] = delays.nextInt(4) == 0 ? TimeUnit.MICROSECONDS.toNanos(delays.nextInt(2000)) : 0;
        }
        AtomicInteger handled = new AtomicInteger();
        RequestHandler slow = request -> {
            // Simulated work of varying length, so that handler threads finish out of order.
            long pause = delayNanos[handled.getAndIncrement() & (delayNanos.length - 1)];
            if (pause > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(pause);
            }
            request.sendResponse(TestHandlers.echo(request));
        };
        SocketServer server = start(Map.of(NetworkConfig.NUM_IO_THREADS, "8",
                NetworkConfig.NUM_NETWORK_THREADS, "3"), slow);
        int connections = 6;
        int perConnection = 300;
        ExecutorService clients = Executors.newFixedThreadPool(connections);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int seed = c;
                results.add(clients.submit(() -> pipelineEchoes(server, seed, perConnection)));
            }
            for (Future<Integer> result : results) {
                assertEquals(perConnection, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(connections * perConnection, handled.get());
        await("no request left in flight", () -> server.requestsInFlight() == 0);
    }

    /**
     * Sends {@code count} echo requests back to back from one thread while this one checks every
     * answer in order (one thread for both could deadlock on full socket buffers).
     */
    private static int pipelineEchoes(SocketServer server, int seed, int count) throws Exception {
        Random random = new Random(seed);
        List<ByteBuffer> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] body = new byte[random.nextInt(3000)];
            random.nextBytes(body);
            bodies.add(ByteBuffer.wrap(body));
        }
        ExecutorService writerThread = Executors.newSingleThreadExecutor();
        try (WireClient client = new WireClient(server.boundAddress())) {
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < count; i++) {
                        client.write(WireClient.request(ApiKeys.METADATA, (short) 4, seed * 100_000 + i, bodies.get(i)));
                    }
                    client.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, writerThread);
            int answered = 0;
            for (int i = 0; i < count; i++) {
                ByteBuffer response = client.receive();
                assertEquals(seed * 100_000 + i, response.getInt(), "responses in request order");
                assertEquals(bodies.get(i), response);
                answered++;
            }
            writer.get(20, TimeUnit.SECONDS);
            return answered;
        } finally {
            writerThread.shutdownNow();
        }
    }

    @Test
    void sizePrefixesAboveTheLimitOrNegativeCloseAtOnceWithoutAllocating() throws Exception {
        SocketServer server = start(DEFAULTS, TestHandlers.apiVersionsOrEcho());
        ByteBufAllocatorMetric allocator = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        assertServes(server);
        long before = allocator.usedDirectMemory() + allocator.usedHeapMemory();
        long heapBefore = usedHeap();
        for (int size : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 104_857_601}) {
            try (WireClient client = new WireClient(server.boundAddress())) {
                // The prefix and a few bytes of "body": the server must not wait for the rest.
                byte[] frame = ByteBuffer.allocate(16).putInt(size).putInt(0x00120000).array();
                assertTrue(client.sendRaw(frame).closedByServer(), "closed for size " + size);
            }
        }
        long after = allocator.usedDirectMemory() + allocator.usedHeapMemory();
        assertTrue(after - before < 16 << 20, "allocator grew by " + (after - before));
        assertTrue(usedHeap() - heapBefore < 64 << 20, "heap grew by " + (usedHeap() - heapBefore));
        assertEquals(4, server.connectionMetrics().invalidRequests());
        assertServes(server);
    }

    @Test
    void aFrameExactlyAtTheLimitIsStillAccepted() throws Exception {
        SocketServer server = start(Map.of(NetworkConfig.SOCKET_REQUEST_MAX_BYTES, "4096"),
                TestHandlers.apiVersionsOrEcho());
        ByteBuffer header = WireClient.request(ApiKeys.METADATA, (short) 4, 5, ByteBuffer.allocate(0));
        ByteBuffer atLimit = WireClient.request(ApiKeys.METADATA, (short) 4, 5,
                ByteBuffer.allocate(4096 - header.remaining()));
        assertEquals(4096, atLimit.remaining());
        try (WireClient client = new WireClient(server.boundAddress())) {
            ByteBuffer response = client.send(atLimit).receive();
            assertEquals(5, response.getInt());
            ByteBuffer overLimit = WireClient.request(ApiKeys.METADATA, (short) 4, 6,
                    ByteBuffer.allocate(4097 - header.remaining()));
            assertTrue(client.send(overLimit).closedByServer());
        }
    }

    @Test
    void aFrameCutShortByTheClientIsDroppedWithItsConnection() throws Exception {
        SocketServer server = start(DEFAULTS, TestHandlers.apiVersionsOrEcho());
        ByteBuffer request = WireClient.request(ApiKeys.METADATA, (short) 4, 8, ByteBuffer.allocate(1000));
        try (WireClient client = new WireClient(server.boundAddress())) {
            byte[] partial = new byte[4 + 500];
            ByteBuffer.wrap(partial).putInt(request.remaining()).put(request.duplicate().limit(500));
            client.sendRaw(partial);
            client.socket().shutdownOutput();
            assertTrue(client.closedByServer());
        }
        await("the connection is gone", () -> server.connectionMetrics().open() == 0);
        assertEquals(0, server.requestsInFlight());
        assertEquals(0, server.requestMetrics().api(ApiKeys.METADATA).requestQueueTime().count(),
                "half a frame never reaches a handler");
        assertServes(server);
    }

    @Test
    void garbageNeverBreaksTheServer() throws Exception {
        SocketServer server = start(DEFAULTS, TestHandlers.apiVersionsOrEcho());
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] body = new byte[random.nextInt(64)];
            random.nextBytes(body);
            try (WireClient client = new WireClient(server.boundAddress())) {
                ByteBuffer frame = ByteBuffer.wrap(body);
                if (i % 2 == 0) {
                    client.send(frame); // a well-sized frame of garbage
                } else {
                    byte[] raw = new byte[4 + body.length];
                    random.nextBytes(raw); // a garbage size prefix too
                    client.sendRaw(raw);
                }
                client.socket().shutdownOutput();
                // Either an answer (the garbage happened to be a valid header) or a close; never a hang.
                client.closedByServer();
            }
        }
        await("every garbage request is released", () -> server.requestsInFlight() == 0);
        assertTrue(server.connectionMetrics().invalidRequests() > 100);
        assertServes(server);
    }

    @Test
    void aThousandIdleConnectionsThenARealRequestIsServed() throws Exception {
        SocketServer server = start(DEFAULTS, TestHandlers.apiVersionsOrEcho());
        List<WireClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                idle.add(new WireClient(server.boundAddress()));
            }
            await("all 1000 connections are accepted", () -> server.connectionMetrics().open() >= 1000);
            assertServes(server);
            // The idle ones still work too.
            ByteBuffer response = idle.get(500).send(WireClient.request(ApiKeys.METADATA, (short) 4, 500,
                    ByteBuffer.allocate(0))).receive();
            assertEquals(500, response.getInt());
        } finally {
            for (WireClient client : idle) {
                client.close();
            }
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        SocketServer server = start(Map.of(NetworkConfig.CONNECTIONS_MAX_IDLE_MS, "300"),
                TestHandlers.apiVersionsOrEcho());
        try (WireClient client = new WireClient(server.boundAddress())) {
            ByteBuffer response = client.send(WireClient.request(ApiKeys.METADATA, (short) 4, 1,
                    ByteBuffer.allocate(0))).receive();
            assertEquals(1, response.getInt());
            assertTrue(client.closedByServer());
        }
        assertEquals(1, server.connectionMetrics().idleClosed());
    }

    @Test
    void aRequestWithTheHandlerKeepsItsConnectionPastTheIdleTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<NetworkRequest> parked = new java.util.concurrent.CopyOnWriteArrayList<>();
        SocketServer server = start(Map.of(NetworkConfig.CONNECTIONS_MAX_IDLE_MS, "100"), request -> {
            parked.add(request); // a long poll: completed later from another thread
            release.countDown();
        });
        try (WireClient client = new WireClient(server.boundAddress());
                WireClient other = new WireClient(server.boundAddress())) {
            client.send(WireClient.request(ApiKeys.FETCH, (short) 11, 3, ByteBuffer.allocate(0)));
            assertTrue(release.await(20, TimeUnit.SECONDS));
            assertTrue(other.closedByServer(), "a connection without a request is closed when idle");
            NetworkRequest request = parked.get(0);
            request.sendResponse(TestHandlers.echo(request));
            assertEquals(3, client.receive().getInt());
        }
    }

    @Test
    void maxConnectionsClosesNewConnectionsAtAccept() throws Exception {
        SocketServer server = start(Map.of(NetworkConfig.MAX_CONNECTIONS, "2"), TestHandlers.apiVersionsOrEcho());
        try (WireClient first = new WireClient(server.boundAddress());
                WireClient second = new WireClient(server.boundAddress())) {
            await("two connections open", () -> server.connectionMetrics().open() == 2);
            try (WireClient third = new WireClient(server.boundAddress())) {
                assertTrue(third.closedByServer());
            }
            assertEquals(1, server.connectionMetrics().refused());
            assertEquals(9, second.send(WireClient.request(ApiKeys.METADATA, (short) 4, 9,
                    ByteBuffer.allocate(0))).receive().getInt());
            first.close();
            await("the first connection is gone", () -> server.connectionMetrics().open() == 1);
            try (WireClient fourth = new WireClient(server.boundAddress())) {
                assertEquals(4, fourth.send(WireClient.request(ApiKeys.METADATA, (short) 4, 4,
                        ByteBuffer.allocate(0))).receive().getInt());
            }
        }
    }

    @Test
    void maxConnectionsChangesWhileServing() throws Exception {
        SocketServer server = start(Map.of(), TestHandlers.apiVersionsOrEcho());
        try (WireClient first = new WireClient(server.boundAddress());
                WireClient second = new WireClient(server.boundAddress())) {
            await("two connections open", () -> server.connectionMetrics().open() == 2);
            server.setMaxConnections(2);
            try (WireClient third = new WireClient(server.boundAddress())) {
                assertTrue(third.closedByServer(), "the lowered limit applies to the next connection");
            }
            assertEquals(2, first.send(WireClient.request(ApiKeys.METADATA, (short) 4, 2,
                    ByteBuffer.allocate(0))).receive().getInt(), "open connections stay open");
            server.setMaxConnections(3);
            try (WireClient third = new WireClient(server.boundAddress())) {
                assertEquals(3, third.send(WireClient.request(ApiKeys.METADATA, (short) 4, 3,
                        ByteBuffer.allocate(0))).receive().getInt());
            }
        }
    }

    @Test
    void handlerThreadsGrowAndShrinkWhileServing() throws Exception {
        SocketServer server = start(Map.of(NetworkConfig.NUM_IO_THREADS, "2"), TestHandlers.apiVersionsOrEcho());
        try (WireClient client = new WireClient(server.boundAddress())) {
            server.resizeHandlerThreads(5);
            assertEquals(5, server.handlerThreadCount());
            await("five handler threads run", () -> liveHandlerThreads() == 5);
            server.resizeHandlerThreads(1);
            assertEquals(1, server.handlerThreadCount());
            await("the retired handler threads leave", () -> liveHandlerThreads() == 1);
            for (int id = 0; id < 20; id++) {
                assertEquals(id, client.send(WireClient.request(ApiKeys.METADATA, (short) 4, id,
                        ByteBuffer.allocate(0))).receive().getInt());
            }
            assertThrows(IllegalArgumentException.class, () -> server.resizeHandlerThreads(0));
        }
    }

    private static long liveHandlerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("fjord-request-handler-") && t.isAlive()).count();
    }

    @Test
    void aClientThatNeverReadsIsNoLongerReadWhileOthersAreServed() throws Exception {
        ByteBuffer oneMegabyte = ByteBuffer.allocate(1 << 20);
        new Random(5).nextBytes(oneMegabyte.array());
        AtomicInteger bigResponses = new AtomicInteger();
        RequestHandler handler = request -> {
            if (request.header().api() == ApiKeys.FETCH) {
                bigResponses.incrementAndGet();
                // The same megabyte every time, not copied: memory grows only if the server queues responses.
                request.sendResponse(new io.fjord.protocol.types.WireWriter()
                        .writeRecords(io.fjord.protocol.types.MemoryRecordSet.readOnly(oneMegabyte), false).finish());
            } else {
                request.sendResponse(TestHandlers.echo(request));
            }
        };
        SocketServer server = start(Map.of(NetworkConfig.SOCKET_SEND_BUFFER_BYTES, "16384"), handler);
        int sent = 200;
        try (WireClient stuck = new WireClient(server.boundAddress(), 4096)) {
            for (int i = 0; i < sent; i++) {
                stuck.write(WireClient.request(ApiKeys.FETCH, (short) 11, i, ByteBuffer.allocate(0)));
            }
            stuck.flush();
            await("the first big response is being written", () -> bigResponses.get() >= 1);
            // Meanwhile another client gets many round trips through the same server.
            try (WireClient other = new WireClient(server.boundAddress())) {
                for (int i = 0; i < 100; i++) {
                    assertEquals(i, other.send(WireClient.request(ApiKeys.METADATA, (short) 4, i,
                            ByteBuffer.allocate(100))).receive().getInt());
                }
            }
            assertEquals(1, bigResponses.get(), "nothing more was read from the client that does not read");
            await("only the stuck response is in flight", () -> server.requestsInFlight() == 1);
            // Nothing was dropped either: once the client reads, every response arrives, in order.
            for (int i = 0; i < sent; i++) {
                ByteBuffer response = stuck.receive();
                assertEquals(i, response.getInt());
                assertEquals(1 << 20, response.getInt());
                assertEquals(oneMegabyte, response);
            }
        }
        assertEquals(sent, bigResponses.get());
    }

    @Test
    void aFullRequestChannelStopsReadingAndDropsNothing() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        RequestHandler gated = request -> {
            try {
                assertTrue(gate.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            request.sendResponse(TestHandlers.echo(request));
        };
        SocketServer server = start(Map.of(NetworkConfig.QUEUED_MAX_REQUESTS, "1",
                NetworkConfig.NUM_IO_THREADS, "1"), gated);
        int clients = 6;
        List<WireClient> connections = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                WireClient client = new WireClient(server.boundAddress());
                connections.add(client);
                client.write(WireClient.request(ApiKeys.METADATA, (short) 4, i, ByteBuffer.allocate(0)));
                client.write(WireClient.request(ApiKeys.METADATA, (short) 4, 100 + i, ByteBuffer.allocate(0)));
                client.flush();
            }
            // One with the handler, one queued, the rest parsed and waiting for room: six in flight.
            await("every connection has a request parsed", () -> server.requestsInFlight() == clients);
            await("one request queued behind the handler", () -> server.requestQueueSize() == 1);
            gate.countDown();
            for (int i = 0; i < clients; i++) {
                assertEquals(i, connections.get(i).receive().getInt());
                assertEquals(100 + i, connections.get(i).receive().getInt());
            }
        } finally {
            for (WireClient client : connections) {
                client.close();
            }
        }
    }

    @Test
    void requestsWithoutAResponseLetTheConnectionReadAgain() throws Exception {
        SocketServer server = start(DEFAULTS, request -> {
            if (request.header().api() == ApiKeys.PRODUCE) {
                request.noResponse(); // acks=0
            } else {
                request.sendResponse(TestHandlers.echo(request));
            }
        });
        try (WireClient client = new WireClient(server.boundAddress())) {
            for (int i = 0; i < 10; i++) {
                client.write(WireClient.request(ApiKeys.PRODUCE, (short) 7, i, ByteBuffer.allocate(10)));
            }
            client.send(WireClient.request(ApiKeys.METADATA, (short) 4, 77, ByteBuffer.allocate(0)));
            assertEquals(77, client.receive().getInt(), "the first response is the metadata one");
        }
        await("no request left in flight", () -> server.requestsInFlight() == 0);
    }

    @Test
    void aHandlerThatThrowsOrClosesEndsTheConnectionOnly() throws Exception {
        SocketServer server = start(DEFAULTS, request -> {
            switch (request.header().api()) {
                case HEARTBEAT -> throw new IllegalStateException("handler bug");
                case LEAVE_GROUP -> request.closeConnection();
                default -> TestHandlers.apiVersionsOrEcho().handle(request);
            }
        });
        for (ApiKeys api : List.of(ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP)) {
            try (WireClient client = new WireClient(server.boundAddress())) {
                assertTrue(client.send(WireClient.request(api, (short) 0, 1, ByteBuffer.allocate(0)))
                        .closedByServer());
            }
        }
        await("no request left in flight", () -> server.requestsInFlight() == 0);
        assertEquals(1, server.requestMetrics().handlerFailures());
        assertServes(server);
    }

    @Test
    void completingARequestTwiceFails() throws Exception {
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        SocketServer server = start(DEFAULTS, request -> {
            TestHandlers.apiVersionsOrEcho().handle(request);
            try {
                request.noResponse();
            } catch (IllegalStateException expected) {
                failures.add(expected);
            }
        });
        assertServes(server);
        // The handler thread makes its second attempt after the response may already have arrived.
        await("the second completion was refused", () -> failures.size() == 1);
        assertInstanceOf(IllegalStateException.class, failures.get(0));
    }

    @Test
    void onLinuxX8664TheNativeEpollTransportIsUsed() throws Exception {
        boolean linuxX64 = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        SocketServer server = start(DEFAULTS, TestHandlers.apiVersionsOrEcho());
        assertEquals(linuxX64 ? "epoll" : "nio", server.transport());
        SocketServer nio = start(Map.of(NetworkConfig.TRANSPORT, "nio"), TestHandlers.apiVersionsOrEcho());
        assertEquals("nio", nio.transport());
        assertServes(nio);
    }

    @Test
    void shutdownStopsAcceptingAndLetsTheRequestsInFlightFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        SocketServer server = start(Map.of(NetworkConfig.NUM_IO_THREADS, "1"), request -> {
            started.countDown();
            try {
                assertTrue(gate.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            request.sendResponse(TestHandlers.echo(request));
        });
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try (WireClient first = new WireClient(server.boundAddress());
                WireClient second = new WireClient(server.boundAddress())) {
            first.send(WireClient.request(ApiKeys.METADATA, (short) 4, 31, ByteBuffer.allocate(0)));
            assertTrue(started.await(20, TimeUnit.SECONDS));
            // The only handler thread is busy: this one waits in the request channel.
            second.send(WireClient.request(ApiKeys.METADATA, (short) 4, 32, ByteBuffer.allocate(0)));
            await("the second request is queued", () -> server.requestQueueSize() == 1);
            Future<Boolean> shutdown = stopper.submit(() -> server.shutdown(java.time.Duration.ofSeconds(20)));
            await("the listener is closed", () -> !canConnect(server));
            assertFalse(shutdown.isDone(), "shutdown waits for the requests in flight");
            gate.countDown();
            assertEquals(31, first.receive().getInt());
            assertEquals(32, second.receive().getInt());
            assertTrue(shutdown.get(20, TimeUnit.SECONDS), "finished before the deadline");
            assertTrue(first.closedByServer());
            assertTrue(second.closedByServer());
        } finally {
            stopper.shutdownNow();
        }
    }

    @Test
    void shutdownGivesUpOnAStuckRequestAtTheDeadline() throws Exception {
        SocketServer server = start(DEFAULTS, request -> {
            // Never completed: a handler bug.
        });
        try (WireClient client = new WireClient(server.boundAddress())) {
            client.send(WireClient.request(ApiKeys.METADATA, (short) 4, 1, ByteBuffer.allocate(0)));
            await("the request is in flight", () -> server.requestMetrics().api(ApiKeys.METADATA)
                    .requestQueueTime().count() == 1);
            assertFalse(server.shutdown(java.time.Duration.ofMillis(200)));
            assertTrue(client.closedByServer());
        }
    }

    private static boolean canConnect(SocketServer server) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(server.boundAddress(), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** One Kafka-built ApiVersions round trip on a new connection. */
    static void assertServes(SocketServer server) throws IOException {
        try (WireClient client = new WireClient(server.boundAddress())) {
            RequestHeader header = new RequestHeader(org.apache.kafka.common.protocol.ApiKeys.API_VERSIONS,
                    (short) 3, "probe", 424242);
            ByteBuffer frame = client.send(new ApiVersionsRequest.Builder().build((short) 3)
                    .serializeWithHeader(header)).receive();
            ApiVersionsResponse response = (ApiVersionsResponse) AbstractResponse.parseResponse(frame, header);
            assertEquals(0, response.data().errorCode());
        }
    }
}
