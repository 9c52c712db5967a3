package io.fjord.client.network;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.ApiVersionsRequest;
import io.fjord.protocol.message.ApiVersionsResponse;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.types.WireReader;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The I/O loop of one {@link NetworkClient}: a selector over one connection per node. Other threads
 * talk to it only through {@link #submit}; everything else here runs on the loop's thread, so the
 * connections need no locks.
 *
 * <p>Each turn runs the submitted tasks, connects nodes that have requests and no connection (after
 * their backoff), expires requests, closes idle connections, selects, then reads responses and
 * writes queued requests.
 */
final class NetworkThread extends Thread {

    private static final System.Logger LOG = System.getLogger(NetworkThread.class.getName());
    private static final String SOFTWARE_NAME = "fjord-java";

    private final NetworkClientConfig config;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean selecting = new AtomicBoolean();
    private final Map<Integer, NodeConnection> connections = new HashMap<>();
    /** The same connections, for other threads' reads of the volatile views. */
    final Map<Integer, NodeConnection> views = new ConcurrentHashMap<>();
    private volatile boolean closing;
    // Set once the loop has failed everything and will run no more tasks: late tasks run on the caller.
    private volatile boolean stopped;
    private int nextCorrelationId;

    NetworkThread(NetworkClientConfig config) throws IOException {
        super("fjord-network-" + config.clientId());
        setDaemon(true);
        this.config = config;
        this.selector = Selector.open();
    }

    /**
     * Runs {@code task} on the loop's thread, in submission order. Once the loop has stopped, the
     * caller runs it, which then only fails requests, so every request's handler still runs once.
     */
    void submit(Runnable task) {
        tasks.add(task);
        if (stopped) {
            runTasks();
        } else if (selecting.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /** Asks the loop to fail everything and stop. */
    void shutdown() {
        closing = true;
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                runTasks();
                long now = System.nanoTime();
                long timeoutNs = maintain(now);
                selecting.set(true);
                if (!tasks.isEmpty() || closing) {
                    selecting.set(false);
                    selector.selectNow();
                } else {
                    selector.select(Math.max(1, timeoutNs / 1_000_000));
                    selecting.set(false);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    handleReady(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "Network thread of client " + config.clientId() + " stopped", e);
        } finally {
            closing = true;
            DisconnectException closed = new DisconnectException("The network client is closed");
            for (NodeConnection connection : connections.values()) {
                close(connection, closed, true);
            }
            runTasks();
            stopped = true;
            runTasks();
            try {
                selector.close();
            } catch (IOException ignored) {
                // Nothing is left to release.
            }
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    // ---- tasks submitted by NetworkClient ----------------------------------------------------

    void setNode(int nodeId, InetSocketAddress address) {
        if (closing) {
            return;
        }
        NodeConnection connection = connections.get(nodeId);
        if (connection == null) {
            connection = new NodeConnection(nodeId, address);
            connections.put(nodeId, connection);
            views.put(nodeId, connection);
        } else if (!connection.address.equals(address)) {
            // Queued requests go to the new address; those already sent to the old one are lost.
            close(connection, new DisconnectException("Node " + nodeId + " moved to " + address), false);
            connection.address = address;
            connection.consecutiveFailures = 0;
            connection.nextConnectNs = 0;
        }
    }

    void removeNode(int nodeId) {
        if (closing) {
            return;
        }
        NodeConnection connection = connections.remove(nodeId);
        if (connection != null) {
            views.remove(nodeId);
            close(connection, new DisconnectException("Node " + nodeId + " was removed"), true);
        }
    }

    void connect(int nodeId) {
        NodeConnection connection = connections.get(nodeId);
        if (!closing && connection != null && connection.state == NodeConnection.State.DISCONNECTED) {
            startConnect(connection, System.nanoTime());
        }
    }

    void enqueue(ClientRequest request) {
        if (closing) {
            request.fail(new DisconnectException("The network client is closed"));
            return;
        }
        NodeConnection connection = connections.get(request.nodeId);
        if (connection == null) {
            request.fail(new DisconnectException("Node " + request.nodeId + " has no known address"));
            return;
        }
        connection.queued.add(request);
        if (connection.state == NodeConnection.State.READY) {
            pump(connection);
        } else if (connection.state == NodeConnection.State.DISCONNECTED && System.nanoTime() >= connection.nextConnectNs) {
            startConnect(connection, System.nanoTime());
        }
        connection.publish();
    }

    // ---- time: connects, expiry, idle close ---------------------------------------------------

    /** Does what is due at {@code now}; returns the nanoseconds until something else falls due. */
    private long maintain(long now) {
        long next = Long.MAX_VALUE;
        for (NodeConnection connection : connections.values()) {
            next = Math.min(next, maintain(connection, now));
        }
        return next == Long.MAX_VALUE ? 1_000_000_000L : Math.max(0, next - now);
    }

    private long maintain(NodeConnection connection, long now) {
        long next = Long.MAX_VALUE;
        if (connection.state == NodeConnection.State.CONNECTING || connection.state == NodeConnection.State.NEGOTIATING) {
            if (now >= connection.connectDeadlineNs) {
                connectFailed(connection, new DisconnectException("Connection to node " + connection.nodeId
                        + " at " + connection.address + " was not set up within " + config.connectTimeoutMs() + " ms"));
            } else {
                next = connection.connectDeadlineNs;
            }
        }
        ClientRequest oldest = connection.writing != null ? connection.writing : connection.inFlight.peekFirst();
        if (oldest != null) {
            if (now >= oldest.deadlineNs) {
                // Responses come in order, so nothing behind an unanswered request can arrive: drop the connection.
                oldest.fail(timedOut(oldest));
                close(connection, new DisconnectException("Connection to node " + connection.nodeId
                        + " closed after a request timed out"), false);
            } else {
                next = Math.min(next, oldest.deadlineNs);
            }
        }
        ClientRequest head;
        while ((head = connection.queued.peekFirst()) != null && now >= head.deadlineNs) {
            connection.queued.pollFirst().fail(timedOut(head));
        }
        if (head != null) {
            next = Math.min(next, head.deadlineNs);
            if (connection.state == NodeConnection.State.DISCONNECTED) {
                if (now >= connection.nextConnectNs) {
                    startConnect(connection, now);
                } else {
                    next = Math.min(next, connection.nextConnectNs);
                }
            }
        }
        if (connection.state == NodeConnection.State.READY && connection.isIdle()) {
            long idleDeadline = connection.lastActivityNs + config.connectionsMaxIdleMs() * 1_000_000L;
            if (now >= idleDeadline) {
                connection.closeSocket();
            } else {
                next = Math.min(next, idleDeadline);
            }
        }
        connection.publish();
        return next;
    }

    private RequestTimeoutException timedOut(ClientRequest request) {
        return new RequestTimeoutException(request.api.apiName() + " request to node " + request.nodeId
                + " got no response within " + config.requestTimeoutMs() + " ms");
    }

    // ---- connection set-up ---------------------------------------------------------------------

    private void startConnect(NodeConnection connection, long now) {
        connection.lastActivityNs = now;
        connection.connectDeadlineNs = now + config.connectTimeoutMs() * 1_000_000L;
        try {
            SocketChannel channel = SocketChannel.open();
            connection.channel = channel;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (config.sendBufferBytes() > 0) {
                channel.setOption(StandardSocketOptions.SO_SNDBUF, config.sendBufferBytes());
            }
            if (config.receiveBufferBytes() > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
            }
            connection.state = NodeConnection.State.CONNECTING;
            connection.key = channel.register(selector, SelectionKey.OP_CONNECT, connection);
            if (channel.connect(connection.address)) {
                connected(connection);
            }
        } catch (IOException | RuntimeException e) {
            connectFailed(connection, new DisconnectException("Cannot connect to node " + connection.nodeId
                    + " at " + connection.address + ": " + e.getMessage(), e));
        }
    }

    private void connected(NodeConnection connection) {
        connection.key.interestOps(SelectionKey.OP_READ);
        if (!config.negotiateApiVersions()) {
            becomeReady(connection);
            return;
        }
        connection.state = NodeConnection.State.NEGOTIATING;
        negotiate(connection, ApiKeys.API_VERSIONS.latestVersion());
    }

    private void negotiate(NodeConnection connection, short version) {
        ApiVersionsRequest request = new ApiVersionsRequest()
                .setClientSoftwareName(SOFTWARE_NAME)
                .setClientSoftwareVersion(softwareVersion());
        ClientRequest negotiation = new ClientRequest(connection.nodeId, ApiKeys.API_VERSIONS, request, version, true,
                connection.connectDeadlineNs, (response, error) -> negotiated(connection, version, response, error));
        negotiation.correlationId = nextCorrelationId++;
        connection.startWriting(negotiation, config.clientId());
        flush(connection);
    }

    private void negotiated(NodeConnection connection, short version, ApiMessage response, RuntimeException error) {
        if (connection.state != NodeConnection.State.NEGOTIATING) {
            return; // the connection closed, and failed the negotiation with it
        }
        if (error != null) {
            connectFailed(connection, error instanceof DisconnectException d ? d
                    : new DisconnectException("Version negotiation with node " + connection.nodeId + " failed", error));
            return;
        }
        ApiVersionsResponse versions = (ApiVersionsResponse) response;
        if (versions.errorCode() == Errors.UNSUPPORTED_VERSION.code() && version > 0) {
            // The node is older: it listed its own ApiVersions range, so ask again within it.
            NodeApiVersions theirs = NodeApiVersions.of(versions);
            short retry = (short) Math.min(version - 1, Math.max(0, theirs.maxVersion(ApiKeys.API_VERSIONS)));
            negotiate(connection, retry);
            return;
        }
        if (versions.errorCode() != 0) {
            connectFailed(connection, new DisconnectException("Node " + connection.nodeId + " answered ApiVersions with "
                    + Errors.forCode(versions.errorCode())));
            return;
        }
        connection.apiVersions = NodeApiVersions.of(versions);
        becomeReady(connection);
    }

    private void becomeReady(NodeConnection connection) {
        connection.state = NodeConnection.State.READY;
        connection.consecutiveFailures = 0;
        connection.lastActivityNs = System.nanoTime();
        pump(connection);
        connection.publish();
    }

    private void connectFailed(NodeConnection connection, DisconnectException cause) {
        LOG.log(Level.DEBUG, cause.getMessage());
        close(connection, cause, true);
    }

    /** Closes the connection, failing what was sent on it and, with {@code failQueued}, what waits for it. */
    private void close(NodeConnection connection, DisconnectException cause, boolean failQueued) {
        boolean wasConnected = connection.state == NodeConnection.State.READY;
        ClientRequest writing = connection.writing;
        connection.writing = null;
        connection.closeSocket();
        if (!wasConnected) {
            connection.consecutiveFailures++;
        }
        connection.nextConnectNs = System.nanoTime() + backoffNs(connection.consecutiveFailures);
        if (writing != null) {
            writing.fail(cause);
        }
        ClientRequest request;
        while ((request = connection.inFlight.pollFirst()) != null) {
            request.fail(cause);
        }
        if (failQueued) {
            while ((request = connection.queued.pollFirst()) != null) {
                request.fail(cause);
            }
        }
        connection.publish();
    }

    private long backoffNs(int failures) {
        if (failures == 0) {
            return 0;
        }
        double backoff = config.reconnectBackoffMs() * Math.pow(2, Math.min(failures - 1, 30));
        backoff = Math.min(backoff, config.reconnectBackoffMaxMs());
        double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return (long) (backoff * jitter * 1_000_000L);
    }

    // ---- reading and writing -------------------------------------------------------------------

    private void handleReady(SelectionKey key) {
        NodeConnection connection = (NodeConnection) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                if (connection.channel.finishConnect()) {
                    connected(connection);
                }
                return;
            }
            if (key.isReadable()) {
                read(connection);
            }
            if (connection.key != null && connection.key.isValid() && key.isWritable() && connection.writing != null
                    && flush(connection)) {
                pump(connection);
            }
        } catch (IOException e) {
            boolean setUp = connection.state == NodeConnection.State.READY;
            DisconnectException cause = new DisconnectException("Connection to node " + connection.nodeId + " at "
                    + connection.address + " failed: " + e.getMessage(), e);
            if (setUp) {
                close(connection, cause, false);
            } else {
                connectFailed(connection, cause);
            }
        } catch (DisconnectException e) {
            close(connection, e, connection.state != NodeConnection.State.READY);
        }
        connection.publish();
    }

    private void read(NodeConnection connection) throws IOException {
        ByteBuffer frame;
        while (connection.channel != null && (frame = connection.readFrame(config.maxResponseBytes())) != null) {
            connection.lastActivityNs = System.nanoTime();
            ClientRequest request = connection.inFlight.pollFirst();
            int correlationId = frame.getInt(0);
            if (request == null || request.correlationId != correlationId) {
                if (request != null) {
                    connection.inFlight.addFirst(request);
                }
                throw new DisconnectException("Node " + connection.nodeId + " answered correlation id " + correlationId
                        + (request == null ? " with nothing in flight" : ", expected " + request.correlationId));
            }
            ApiMessage body;
            try {
                body = decode(request, frame);
            } catch (RuntimeException e) {
                request.fail(e);
                continue;
            }
            request.complete(body);
            if (connection.state == NodeConnection.State.READY) {
                pump(connection);
            }
        }
    }

    private static ApiMessage decode(ClientRequest request, ByteBuffer frame) {
        try {
            return MessageCodec.decodeResponse(request.api, request.version, frame).body();
        } catch (RuntimeException e) {
            if (request.api != ApiKeys.API_VERSIONS || request.version == 0) {
                throw e;
            }
            // A broker that does not speak our ApiVersions version answers in version 0.
            WireReader in = new WireReader(frame.position(4));
            return MessageCodec.decodeResponseBody(ApiKeys.API_VERSIONS, (short) 0, in);
        }
    }

    /** Moves queued requests into flight while the limit allows and the socket takes them. */
    private void pump(NodeConnection connection) {
        while (connection.writing == null && connection.state == NodeConnection.State.READY
                && connection.inFlightCount() < config.maxInFlightPerConnection()) {
            ClientRequest request = connection.queued.pollFirst();
            if (request == null) {
                break;
            }
            try {
                prepare(connection, request);
                connection.startWriting(request, config.clientId());
            } catch (RuntimeException e) {
                request.fail(e);
                continue;
            }
            if (!flush(connection)) {
                break;
            }
        }
    }

    private void prepare(NodeConnection connection, ClientRequest request) {
        NodeApiVersions versions = connection.apiVersions;
        if (request.version == ClientRequest.NEGOTIATE) {
            request.version = versions != null && config.negotiateApiVersions()
                    ? versions.latestUsableVersion(request.api) : request.api.latestVersion();
        } else if (versions != null && config.negotiateApiVersions() && !versions.supports(request.api, request.version)) {
            throw new UnsupportedVersionException("Node " + connection.nodeId + " does not support "
                    + request.api.apiName() + " version " + request.version);
        }
        request.correlationId = nextCorrelationId++;
    }

    /**
     * Writes the frame in progress; registers for writability if the socket is full.
     *
     * @return whether the frame went out completely
     */
    private boolean flush(NodeConnection connection) {
        try {
            if (!connection.write()) {
                connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return false;
            }
        } catch (IOException e) {
            close(connection, new DisconnectException("Writing to node " + connection.nodeId + " failed: "
                    + e.getMessage(), e), connection.state != NodeConnection.State.READY);
            return false;
        }
        connection.key.interestOps(SelectionKey.OP_READ);
        connection.lastActivityNs = System.nanoTime();
        ClientRequest written = connection.finishWriting();
        if (written.expectResponse) {
            connection.inFlight.addLast(written);
        } else {
            written.complete(null);
        }
        return true;
    }

    private static String softwareVersion() {
        String version = NetworkThread.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }
}
