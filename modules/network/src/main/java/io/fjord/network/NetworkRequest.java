package io.fjord.network;

import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.types.EncodedMessage;
import io.netty.buffer.ByteBuf;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request frame received on a connection: its parsed header and its body bytes, on the way
 * from a processor through the request channel to a handler and back as a response.
 *
 * <p>Buffer ownership: the frame's bytes belong to this request and stay valid until its response
 * has been written to the socket (or dropped with the connection); then the network layer releases
 * them. The handler owns them meanwhile and may change them: the produce path stamps base offsets
 * and leader epochs into the record batches in place before it appends them, so the log writes
 * the very bytes that arrived. A handler may put slices of {@link #body()} into the response it
 * sends, but must not keep them beyond that.
 */
public final class NetworkRequest {

    /** What the handler decided. */
    enum Completion {
        RESPONSE, NO_RESPONSE, CLOSE
    }

    private final ConnectionHandler connection;
    private final RequestHeader header;
    private final ByteBuf frame;
    private final ByteBuffer body;
    /** The bytes this request holds in the server's {@link RequestMemoryPool}, returned with its frame. */
    private final int reservedBytes;
    private final AtomicBoolean completed = new AtomicBoolean();

    // Timestamps for the request metrics, each written by one thread before the hand-off to the next.
    final long receivedNanos;
    long dequeuedNanos;
    long completedNanos;

    // Written by the completing thread before the request is put on the response queue.
    private Completion completion;
    private EncodedMessage responseBody;

    NetworkRequest(ConnectionHandler connection, RequestHeader header, ByteBuf frame, ByteBuffer body,
            int reservedBytes, long receivedNanos) {
        this.connection = connection;
        this.header = header;
        this.frame = frame;
        this.body = body;
        this.reservedBytes = reservedBytes;
        this.receivedNanos = receivedNanos;
    }

    /** The request header: API, version (possibly unsupported, for ApiVersions only), correlation and client id. */
    public RequestHeader header() {
        return header;
    }

    /**
     * The body: the frame's bytes after the header, as a new big-endian view positioned at its
     * start (see the class comment for who may change them and how long they stay valid).
     */
    public ByteBuffer body() {
        return body.duplicate().order(body.order());
    }

    /** The size of the request frame, header and body, without the size prefix. */
    public int sizeInBytes() {
        return frame.readableBytes();
    }

    /**
     * Reports bytes after the end of the body, which the handler ignores as Kafka does: counted in
     * {@link RequestMetrics#requestsWithTrailingBytes()} and logged once per client.
     */
    public void reportTrailingBytes(int bytes) {
        SocketServer server = connection.server();
        server.requestMetrics().trailingBytesIgnored();
        server.clientNotices().warnOnce(String.valueOf(header.clientId()), "trailing bytes",
                "Client " + header.clientId() + " at " + remoteAddress() + " sent " + bytes + " bytes after the end of a "
                        + header.api().apiName() + " v" + header.apiVersion()
                        + " request; they are ignored, as Kafka ignores them (logged once per client)");
    }

    /** The client's address. */
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    /**
     * Completes the request with a response: the network layer writes the size prefix and the
     * response header (version chosen from the request's API and version), then {@code
     * responseBody}'s parts: encoded buffers as they are, memory record sets without copying and
     * file record sets with sendfile. The body's buffers and record sets must stay unchanged until
     * written.
     */
    public void sendResponse(EncodedMessage responseBody) {
        Objects.requireNonNull(responseBody, "responseBody");
        complete(Completion.RESPONSE, responseBody);
    }

    /** Completes a request that gets no response (a produce with acks=0): the connection reads again. */
    public void noResponse() {
        complete(Completion.NO_RESPONSE, null);
    }

    /** Completes the request by closing its connection, as Kafka does when a request cannot be answered. */
    public void closeConnection() {
        complete(Completion.CLOSE, null);
    }

    /**
     * Completes the request by closing its connection because the handler serves no such API (it
     * knows the key but does not route it), telling the operator once per client and API, as for
     * an API key the network layer does not know.
     */
    public void closeConnectionNotServed() {
        ApiKeys api = header.api();
        connection.notServed(header.clientId(), api.apiName() + " (key " + api.id() + ")", header.apiVersion(),
                "which this broker does not serve");
        closeConnection();
    }

    /** Whether one of the completing methods has been called. */
    public boolean isCompleted() {
        return completed.get();
    }

    private void complete(Completion how, EncodedMessage response) {
        if (!completed.compareAndSet(false, true)) {
            throw new IllegalStateException("request " + header.correlationId() + " was already completed");
        }
        this.completion = how;
        this.responseBody = response;
        this.completedNanos = System.nanoTime();
        connection.processor().enqueueCompleted(this);
    }

    ConnectionHandler connection() {
        return connection;
    }

    Completion completion() {
        return completion;
    }

    EncodedMessage responseBody() {
        return responseBody;
    }

    /**
     * Frees the frame's bytes and returns its memory reservation; called once, when the request is
     * done with (on the event loop, or on any thread once the connection is gone).
     */
    void releaseFrame() {
        frame.release();
        connection.releaseMemory(reservedBytes);
    }

    @Override
    public String toString() {
        return "NetworkRequest(" + header.api().apiName() + " v" + header.apiVersion() + ", correlation id "
                + header.correlationId() + ", " + frame.readableBytes() + " bytes)";
    }
}
