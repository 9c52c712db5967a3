package io.fjord.client.network;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking client for Kafka's protocol: one I/O thread, one connection per node id, typed
 * requests in and typed responses out. Nodes are whatever the caller says they are: {@link
 * #setNode} maps an id to an address (a bootstrap server, a broker from metadata, a controller's
 * view of the cluster).
 *
 * <p>A request goes to its node's queue; the node is connected on demand (after its reconnect
 * backoff), asked for ApiVersions first if {@link NetworkClientConfig#negotiateApiVersions()}, and
 * then up to the in-flight limit of requests are written in order. Every request ends exactly once
 * in its handler: with the decoded response, or with a {@link DisconnectException} (the
 * connection failed or closed, or the client closed), a {@link RequestTimeoutException} or an
 * {@link UnsupportedVersionException}.
 *
 * <p>Thread-safe: any thread may send; handlers run on the I/O thread. A request body belongs to
 * the client from {@code send} until its handler runs: the caller must not change it, nor the
 * record buffers it references.
 */
public final class NetworkClient implements AutoCloseable {

    private final NetworkClientConfig config;
    private final NetworkThread thread;

    public NetworkClient(NetworkClientConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        try {
            this.thread = new NetworkThread(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a selector", e);
        }
        thread.start();
    }

    public NetworkClientConfig config() {
        return config;
    }

    /**
     * Maps {@code nodeId} to {@code host:port}. A new address for a known node closes its connection,
     * failing the requests in flight on it; queued requests go to the new address.
     */
    public void setNode(int nodeId, String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        thread.submit(() -> thread.setNode(nodeId, address));
    }

    /** Forgets a node, closing its connection and failing every request queued or in flight to it. */
    public void removeNode(int nodeId) {
        thread.submit(() -> thread.removeNode(nodeId));
    }

    /** Starts connecting to a known node now, if it has no connection, instead of at its first request. */
    public void connect(int nodeId) {
        thread.submit(() -> thread.connect(nodeId));
    }

    /**
     * Sends {@code request} at the highest version both the node and Fjord speak, as negotiated when
     * the connection was set up (Fjord's latest without negotiation).
     */
    public void send(int nodeId, ApiMessage request, ResponseHandler handler) {
        submit(nodeId, request, ClientRequest.NEGOTIATE, true, handler);
    }

    /**
     * Sends {@code request} at {@code version}; a node that negotiated and does not advertise that
     * version fails it with {@link UnsupportedVersionException} without sending.
     */
    public void send(int nodeId, ApiMessage request, short version, ResponseHandler handler) {
        submit(nodeId, request, version, true, handler);
    }

    /**
     * Sends a request the node does not answer (a Produce with acks=0): the handler gets a
     * {@code null} response once the request is written.
     */
    public void sendWithoutResponse(int nodeId, ApiMessage request, short version, ResponseHandler handler) {
        submit(nodeId, request, version, false, handler);
    }

    /**
     * Sends {@code request} at the negotiated version; the future completes with the response, of
     * {@code responseType}, or exceptionally with the handler's error.
     */
    public <R extends ApiMessage> CompletableFuture<R> send(int nodeId, ApiMessage request, Class<R> responseType) {
        CompletableFuture<R> future = new CompletableFuture<>();
        send(nodeId, request, (response, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(responseType.cast(response));
            }
        });
        return future;
    }

    private void submit(int nodeId, ApiMessage request, short version, boolean expectResponse,
                        ResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        ApiKeys api = ApiKeys.forId(request.apiKey());
        long deadline = System.nanoTime() + config.requestTimeoutMs() * 1_000_000L;
        ClientRequest clientRequest = new ClientRequest(nodeId, api, request, version, expectResponse, deadline, handler);
        thread.submit(() -> thread.enqueue(clientRequest));
    }

    /** Whether the node's connection is set up (and negotiated) and takes requests now. */
    public boolean isReady(int nodeId) {
        NodeConnection connection = thread.views.get(nodeId);
        return connection != null && connection.readyView;
    }

    /** Requests to the node queued, being written or awaiting their response, as of the I/O thread's last turn. */
    public int pendingRequests(int nodeId) {
        NodeConnection connection = thread.views.get(nodeId);
        return connection == null ? 0 : connection.pendingView;
    }

    /** The versions the node advertised on its latest connection, if one was negotiated. */
    public Optional<NodeApiVersions> apiVersions(int nodeId) {
        NodeConnection connection = thread.views.get(nodeId);
        return connection == null ? Optional.empty() : Optional.ofNullable(connection.apiVersions);
    }

    /**
     * Closes every connection, failing every request not yet answered with a {@link
     * DisconnectException}, and stops the I/O thread, waiting for it at most {@code timeout}.
     */
    public void close(Duration timeout) {
        thread.shutdown();
        if (Thread.currentThread() == thread) {
            return; // called from a handler: the loop stops after it returns
        }
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
