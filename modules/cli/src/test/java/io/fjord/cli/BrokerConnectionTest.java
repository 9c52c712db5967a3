package io.fjord.cli;

import io.fjord.protocol.message.ApiVersionsRequest;
import io.fjord.protocol.message.ApiVersionsResponse;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console tools' connection refuses hostile or mismatched response frames instead of trusting them. */
class BrokerConnectionTest {

    /** A one-shot server that reads one request frame and answers with {@code response}. */
    private static CompletableFuture<Void> answerOnce(ServerSocket server, byte[] response) {
        return CompletableFuture.runAsync(() -> {
            try (Socket socket = server.accept()) {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                in.readFully(new byte[in.readInt()]);
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.write(response);
                out.flush();
                // Hold the connection until the client closes it, so the client sees only what was sent.
                while (in.read() >= 0) {
                    continue;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MAX_VALUE, BrokerConnection.MAX_RESPONSE_BYTES + 1, -1, 3})
    void aResponseSizeOutOfRangeIsRefusedWithoutAllocatingIt(int size) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = answerOnce(server, new byte[] {
                (byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
            try (BrokerConnection connection = BrokerConnection.open("127.0.0.1:" + server.getLocalPort(), 10_000)) {
                IOException e = assertThrows(IOException.class, () -> connection.send((short) 4,
                        new MetadataRequest(), MetadataResponse.class));
                assertTrue(e.getMessage().contains("out of range"), e.getMessage());
            }
            served.join();
        }
    }

    @Test
    void aResponseToAnotherCorrelationIdIsRefused() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // A well-formed ApiVersions v0 response (error 0, no APIs) for correlation id 99; the request had 0.
            byte[] frame = {0, 0, 0, 10, 0, 0, 0, 99, 0, 0, 0, 0, 0, 0};
            CompletableFuture<Void> served = answerOnce(server, frame);
            try (BrokerConnection connection = BrokerConnection.open("127.0.0.1:" + server.getLocalPort(), 10_000)) {
                IOException e = assertThrows(IOException.class, () -> connection.send((short) 0,
                        new ApiVersionsRequest(), ApiVersionsResponse.class));
                assertTrue(e.getMessage().contains("correlation id 99"), e.getMessage());
            }
            served.join();
        }
    }

    @Test
    void aBootstrapServerWithoutAPortIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BrokerConnection.open("localhost", 1000));
        assertThrows(IllegalArgumentException.class, () -> BrokerConnection.open("localhost:x", 1000));
    }
}
