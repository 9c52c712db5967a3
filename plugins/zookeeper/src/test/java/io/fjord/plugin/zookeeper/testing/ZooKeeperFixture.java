package io.fjord.plugin.zookeeper.testing;

import io.fjord.controller.coordination.CoordinationEngine;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.SessionListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * A real ZooKeeper server in the test's JVM, on 127.0.0.1 with a port of its own and its data in a
 * temporary folder, for any module's tests that need a coordination engine.
 *
 * <pre>
 * try (ZooKeeperFixture zk = ZooKeeperFixture.start()) {
 *     CoordinationSession s = zk.openSession(listener);      // the zookeeper engine, configured
 *     ...
 *     zk.expireSessionOwning(ClusterPaths.broker(1));         // as if broker 1 went silent too long
 *     zk.stop(); zk.restart();                                // same port, same data, sessions kept
 * }
 * </pre>
 *
 * The engines and sessions it handed out are closed with it, then the server stops and its folder
 * is deleted.
 */
public final class ZooKeeperFixture implements AutoCloseable {

    /** ZooKeeper's default tick: sessions may last 4 to 40 seconds. */
    private static final int TICK_TIME_MS = 2000;

    private final Path dataDir;
    private final Deque<AutoCloseable> handedOut = new ArrayDeque<>();
    private int port;
    private ZooKeeperServer server;
    private ServerCnxnFactory connections;

    private ZooKeeperFixture(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Starts a server on a free port of 127.0.0.1, with its data in a new temporary folder. */
    public static ZooKeeperFixture start() throws IOException {
        ZooKeeperFixture fixture = new ZooKeeperFixture(Files.createTempDirectory("zookeeper-fixture"));
        try {
            fixture.restart();
        } catch (IOException | RuntimeException e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /** {@code 127.0.0.1:<port>}, the value of {@code zookeeper.connect}. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return server != null;
    }

    /** Stops the server; clients lose their connection but keep their sessions until they time out. */
    public synchronized void stop() {
        if (connections != null) {
            connections.shutdown();
            connections = null;
        }
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }

    /** Starts the server again on the same port, with the data and sessions it had. */
    public synchronized void restart() throws IOException {
        if (server != null) {
            return;
        }
        ZooKeeperServer started = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), TICK_TIME_MS);
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        try {
            factory.startup(started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            factory.shutdown();
            throw new IOException("Interrupted while starting ZooKeeper", e);
        }
        server = started;
        connections = factory;
        port = factory.getLocalPort();
    }

    /** Expires a session as the server does when it hears nothing for the session time-out. */
    public synchronized void expireSession(long sessionId) {
        if (server == null) {
            throw new IllegalStateException("The ZooKeeper server is stopped");
        }
        server.expire(sessionId);
    }

    /**
     * Expires the session that owns the ephemeral entry at {@code path} (a broker's registration,
     * {@code /controller}), and returns its id.
     */
    public synchronized long expireSessionOwning(String path) {
        if (server == null) {
            throw new IllegalStateException("The ZooKeeper server is stopped");
        }
        Stat stat;
        try {
            stat = server.getZKDatabase().statNode(path, null);
        } catch (KeeperException.NoNodeException e) {
            throw new IllegalStateException("No entry at " + path, e);
        }
        if (stat.getEphemeralOwner() == 0) {
            throw new IllegalStateException(path + " is not ephemeral: no session owns it");
        }
        server.expire(stat.getEphemeralOwner());
        return stat.getEphemeralOwner();
    }

    /** The {@code zookeeper} engine configured for this server, with {@code settings} on top (keys without {@code zookeeper.}). */
    public CoordinationEngine engine(Map<String, String> settings) {
        CoordinationEngine engine = findEngine();
        Map<String, String> config = new HashMap<>(settings);
        config.putIfAbsent("connect", connectString());
        engine.configure(config);
        synchronized (this) {
            handedOut.push(engine);
        }
        return engine;
    }

    /** A session of the engine configured for this server, with Kafka's default settings. */
    public CoordinationSession openSession(SessionListener listener) {
        CoordinationSession session = engine(Map.of()).open(listener);
        synchronized (this) {
            handedOut.push(session);
        }
        return session;
    }

    /** A listener that ignores the session's life, for tests that do not expire sessions. */
    public static SessionListener ignoringListener() {
        return new SessionListener() {
            @Override
            public void sessionExpired() {
            }

            @Override
            public void sessionRenewed() {
            }
        };
    }

    @Override
    public void close() {
        synchronized (this) {
            while (!handedOut.isEmpty()) {
                try {
                    handedOut.pop().close();
                } catch (Exception e) {
                    // Closing what a test left open; the test's own result matters, not this.
                }
            }
        }
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CoordinationEngine findEngine() {
        return ServiceLoader.load(CoordinationEngine.class, ZooKeeperFixture.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .filter(e -> e.name().equals("zookeeper"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No zookeeper coordination engine on the test path: "
                        + "add fjord-plugin-zookeeper as a test dependency"));
    }
}
