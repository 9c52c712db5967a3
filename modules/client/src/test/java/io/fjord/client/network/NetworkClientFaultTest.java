package io.fjord.client.network;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.MetadataRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network client against peers that misbehave: a bare server socket that accepts and never
 * answers, one that closes mid-flight, one that sends garbage, and a port nobody listens on. Every
 * request must end exactly once, with the typed failure.
 */
class NetworkClientFaultTest {

    private static final int NODE = 7;

    private NetworkClient client;
    private ServerSocket server;

    @AfterEach
    void tearDown() throws IOException {
        if (client != null) {
            client.close(Duration.ofSeconds(5));
        }
        if (server != null) {
            server.close();
        }
    }

    private NetworkClient client(NetworkClientConfig config) {
        client = new NetworkClient(config);
        client.setNode(NODE, "127.0.0.1", server.getLocalPort());
        return client;
    }

    private static NetworkClientConfig config() {
        return NetworkClientConfig.defaults("fault-test").withNegotiateApiVersions(false);
    }

    private static MetadataRequest metadata() {
        return new MetadataRequest();
    }

    @Test
    void requestsToAPeerThatNeverAnswersTimeOutOnce() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        client(config().withRequestTimeoutMs(300).withMaxInFlightPerConnection(2));
        CallbackRecorder recorder = new CallbackRecorder(5);
        for (int i = 0; i < 5; i++) {
            client.send(NODE, metadata(), recorder.handler(i));
        }
        try (Socket accepted = server.accept()) {
            recorder.awaitAllOnce(10_000);
        }
        // The oldest written request times out; the connection then closes under the other one
        // in flight, and the queued ones time out waiting.
        RuntimeException first = recorder.outcome(0).error();
        assertInstanceOf(RequestTimeoutException.class, first);
        assertEquals(Errors.REQUEST_TIMED_OUT, ((RequestTimeoutException) first).error());
        for (CallbackRecorder.Outcome outcome : recorder.outcomes) {
            assertNull(outcome.response());
            assertTrue(outcome.error() instanceof RequestTimeoutException || outcome.error() instanceof DisconnectException,
                    "request " + outcome.request() + " failed with " + outcome.error());
        }
    }

    @Test
    void aPeerClosingMidFlightFailsEveryRequestOnceAsDisconnected() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        client(config());
        CallbackRecorder recorder = new CallbackRecorder(20);
        for (int i = 0; i < 20; i++) {
            client.send(NODE, metadata(), recorder.handler(i));
        }
        try (Socket accepted = server.accept()) {
            // Read the first request's frame whole, so requests are in flight when the socket goes.
            DataInputStream in = new DataInputStream(accepted.getInputStream());
            in.readFully(new byte[in.readInt()]);
            // The queued requests would go out on a new connection: make sure none can be made.
            server.close();
        }
        recorder.awaitAllOnce(10_000);
        for (CallbackRecorder.Outcome outcome : recorder.outcomes) {
            assertInstanceOf(DisconnectException.class, outcome.error(), "request " + outcome.request());
            assertEquals(Errors.NETWORK_EXCEPTION, ((DisconnectException) outcome.error()).error());
        }
    }

    @Test
    void queuedRequestsGoOutOnANewConnectionAfterADisconnect() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        client(config().withMaxInFlightPerConnection(1));
        CallbackRecorder recorder = new CallbackRecorder(2);
        client.send(NODE, metadata(), recorder.handler(0));
        client.send(NODE, metadata(), recorder.handler(1));
        try (Socket first = server.accept()) {
            DataInputStream in = new DataInputStream(first.getInputStream());
            in.readFully(new byte[in.readInt()]);
        }
        try (Socket second = server.accept()) {
            DataInputStream in = new DataInputStream(second.getInputStream());
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            // The second request, with its own correlation id, on the second connection.
            assertEquals(3, frame[1], "Metadata's API key");
            assertEquals(1, java.nio.ByteBuffer.wrap(frame).getInt(4), "correlation id");
            server.close();
            assertInstanceOf(DisconnectException.class, waitFor(recorder, 0));
        }
        recorder.awaitAllOnce(10_000);
    }

    private static RuntimeException waitFor(CallbackRecorder recorder, int request) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (recorder.outcomes.stream().noneMatch(o -> o.request() == request)) {
            assertTrue(System.nanoTime() < deadline, "request " + request + " never ended");
            Thread.sleep(5);
        }
        return recorder.outcome(request).error();
    }

    @Test
    void aPortNobodyListensOnFailsWithDisconnect() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        server.close();
        client = new NetworkClient(config());
        client.setNode(NODE, "127.0.0.1", port);
        CompletableFuture<?> future = client.send(NODE, metadata(), io.fjord.protocol.message.MetadataResponse.class);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        assertInstanceOf(DisconnectException.class, failure.getCause());
        assertFalse(client.isReady(NODE));
    }

    @Test
    void anUnknownNodeFailsWithDisconnect() throws Exception {
        client = new NetworkClient(config());
        CompletableFuture<?> future = client.send(99, metadata(), io.fjord.protocol.message.MetadataResponse.class);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> future.get(10, TimeUnit.SECONDS));
        assertInstanceOf(DisconnectException.class, failure.getCause());
    }

    @Test
    void aHostileFrameSizeClosesTheConnectionInsteadOfAllocating() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        client(config());
        CallbackRecorder recorder = new CallbackRecorder(1);
        client.send(NODE, metadata(), recorder.handler(0));
        try (Socket accepted = server.accept()) {
            DataInputStream in = new DataInputStream(accepted.getInputStream());
            in.readFully(new byte[in.readInt()]);
            OutputStream out = accepted.getOutputStream();
            out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            out.flush();
            recorder.awaitAllOnce(10_000);
        }
        assertInstanceOf(DisconnectException.class, recorder.outcome(0).error());
    }

    @Test
    void aWrongCorrelationIdClosesTheConnection() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        client(config());
        CallbackRecorder recorder = new CallbackRecorder(1);
        client.send(NODE, metadata(), recorder.handler(0));
        try (Socket accepted = server.accept()) {
            DataInputStream in = new DataInputStream(accepted.getInputStream());
            in.readFully(new byte[in.readInt()]);
            OutputStream out = accepted.getOutputStream();
            out.write(new byte[] {0, 0, 0, 4, 0x12, 0x34, 0x56, 0x78});
            out.flush();
            recorder.awaitAllOnce(10_000);
        }
        assertInstanceOf(DisconnectException.class, recorder.outcome(0).error());
    }

    @Test
    void aNegotiationThatIsNeverAnsweredFailsWithinTheConnectTimeout() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        client(NetworkClientConfig.defaults("fault-test").withConnectTimeoutMs(300));
        CallbackRecorder recorder = new CallbackRecorder(3);
        for (int i = 0; i < 3; i++) {
            client.send(NODE, metadata(), recorder.handler(i));
        }
        try (Socket accepted = server.accept()) {
            recorder.awaitAllOnce(10_000);
        }
        for (CallbackRecorder.Outcome outcome : recorder.outcomes) {
            assertInstanceOf(DisconnectException.class, outcome.error());
        }
        assertTrue(client.apiVersions(NODE).isEmpty());
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        client(config().withConnectionsMaxIdleMs(200));
        CallbackRecorder recorder = new CallbackRecorder(1);
        client.sendWithoutResponse(NODE, metadata(), (short) 12, recorder.handler(0));
        try (Socket accepted = server.accept()) {
            recorder.awaitAllOnce(10_000);
            assertNull(recorder.outcome(0).error());
            accepted.setSoTimeout(10_000);
            InputStream in = accepted.getInputStream();
            DataInputStream frames = new DataInputStream(in);
            frames.readFully(new byte[frames.readInt()]);
            // The client closes the idle connection: the next read sees the end of the stream.
            assertEquals(-1, in.read());
        }
    }

    @Test
    void closingTheClientFailsQueuedAndLaterRequestsOnce() throws Exception {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        client(config());
        CallbackRecorder recorder = new CallbackRecorder(4);
        client.send(NODE, metadata(), recorder.handler(0));
        client.send(NODE, metadata(), recorder.handler(1));
        try (Socket accepted = server.accept()) {
            DataInputStream in = new DataInputStream(accepted.getInputStream());
            in.readFully(new byte[in.readInt()]);
            client.close(Duration.ofSeconds(5));
            client.send(NODE, metadata(), recorder.handler(2));
            client.send(NODE, metadata(), recorder.handler(3));
            recorder.awaitAllOnce(10_000);
        }
        for (CallbackRecorder.Outcome outcome : recorder.outcomes) {
            assertInstanceOf(DisconnectException.class, outcome.error());
        }
    }
}
