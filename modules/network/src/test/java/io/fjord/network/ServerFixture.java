package io.fjord.network;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/** Starts socket servers on 127.0.0.1, port 0, and shuts them down after each test. */
abstract class ServerFixture {
    private final List<SocketServer> servers = new ArrayList<>();

    SocketServer start(Map<String, String> properties, RequestHandler handler) throws InterruptedException {
        SocketServer server = new SocketServer(NetworkConfig.from("127.0.0.1", 0, properties), handler);
        servers.add(server);
        return server.start();
    }

    @AfterEach
    void shutDownServers() throws InterruptedException {
        for (SocketServer server : servers) {
            server.shutdown(Duration.ofSeconds(10));
        }
    }

    /** Waits until {@code condition} holds, failing after 20 seconds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
