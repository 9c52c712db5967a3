package io.fjord.client.network;

import java.util.Objects;

/**
 * How a {@link NetworkClient} connects and bounds its requests. The defaults are Kafka's client
 * defaults; the names in brackets are Kafka's configuration keys.
 *
 * @param clientId the client id in every request header ({@code client.id})
 * @param maxInFlightPerConnection requests written and unanswered per connection; more wait in
 *     order ({@code max.in.flight.requests.per.connection}, 5)
 * @param requestTimeoutMs from {@code send} to the response, queueing and connecting included
 *     ({@code request.timeout.ms}, 30 s)
 * @param connectTimeoutMs for the TCP connection and the version negotiation together
 *     ({@code socket.connection.setup.timeout.ms}, 10 s)
 * @param reconnectBackoffMs the wait before the first reconnect to a node after a failure
 *     ({@code reconnect.backoff.ms}, 50 ms); it doubles per consecutive failure, with jitter
 * @param reconnectBackoffMaxMs the longest such wait ({@code reconnect.backoff.max.ms}, 1 s)
 * @param connectionsMaxIdleMs a connection with nothing queued or in flight for this long is closed
 *     ({@code connections.max.idle.ms}, 9 min)
 * @param sendBufferBytes SO_SNDBUF, or -1 for the system's ({@code send.buffer.bytes}, 128 KiB)
 * @param receiveBufferBytes SO_RCVBUF, or -1 for the system's ({@code receive.buffer.bytes}, 64 KiB)
 * @param maxResponseBytes a bigger response frame closes the connection instead of being allocated
 * @param negotiateApiVersions whether each new connection first asks ApiVersions; without it,
 *     requests sent without a version use Fjord's latest
 */
public record NetworkClientConfig(
        String clientId,
        int maxInFlightPerConnection,
        long requestTimeoutMs,
        long connectTimeoutMs,
        long reconnectBackoffMs,
        long reconnectBackoffMaxMs,
        long connectionsMaxIdleMs,
        int sendBufferBytes,
        int receiveBufferBytes,
        int maxResponseBytes,
        boolean negotiateApiVersions) {

    public NetworkClientConfig {
        Objects.requireNonNull(clientId, "clientId");
        requirePositive("maxInFlightPerConnection", maxInFlightPerConnection);
        requirePositive("requestTimeoutMs", requestTimeoutMs);
        requirePositive("connectTimeoutMs", connectTimeoutMs);
        requirePositive("connectionsMaxIdleMs", connectionsMaxIdleMs);
        requirePositive("maxResponseBytes", maxResponseBytes);
        if (reconnectBackoffMs < 0 || reconnectBackoffMaxMs < reconnectBackoffMs) {
            throw new IllegalArgumentException("reconnect backoff must be >= 0 and at most its maximum");
        }
    }

    /** Kafka's client defaults, with this client id. */
    public static NetworkClientConfig defaults(String clientId) {
        return new NetworkClientConfig(clientId, 5, 30_000, 10_000, 50, 1_000, 540_000,
                128 * 1024, 64 * 1024, 100 * 1024 * 1024, true);
    }

    public NetworkClientConfig withMaxInFlightPerConnection(int value) {
        return new NetworkClientConfig(clientId, value, requestTimeoutMs, connectTimeoutMs, reconnectBackoffMs,
                reconnectBackoffMaxMs, connectionsMaxIdleMs, sendBufferBytes, receiveBufferBytes, maxResponseBytes,
                negotiateApiVersions);
    }

    public NetworkClientConfig withRequestTimeoutMs(long value) {
        return new NetworkClientConfig(clientId, maxInFlightPerConnection, value, connectTimeoutMs, reconnectBackoffMs,
                reconnectBackoffMaxMs, connectionsMaxIdleMs, sendBufferBytes, receiveBufferBytes, maxResponseBytes,
                negotiateApiVersions);
    }

    public NetworkClientConfig withConnectTimeoutMs(long value) {
        return new NetworkClientConfig(clientId, maxInFlightPerConnection, requestTimeoutMs, value, reconnectBackoffMs,
                reconnectBackoffMaxMs, connectionsMaxIdleMs, sendBufferBytes, receiveBufferBytes, maxResponseBytes,
                negotiateApiVersions);
    }

    public NetworkClientConfig withReconnectBackoffMs(long backoffMs, long maxMs) {
        return new NetworkClientConfig(clientId, maxInFlightPerConnection, requestTimeoutMs, connectTimeoutMs,
                backoffMs, maxMs, connectionsMaxIdleMs, sendBufferBytes, receiveBufferBytes, maxResponseBytes,
                negotiateApiVersions);
    }

    public NetworkClientConfig withConnectionsMaxIdleMs(long value) {
        return new NetworkClientConfig(clientId, maxInFlightPerConnection, requestTimeoutMs, connectTimeoutMs,
                reconnectBackoffMs, reconnectBackoffMaxMs, value, sendBufferBytes, receiveBufferBytes,
                maxResponseBytes, negotiateApiVersions);
    }

    public NetworkClientConfig withSocketBuffers(int sendBytes, int receiveBytes) {
        return new NetworkClientConfig(clientId, maxInFlightPerConnection, requestTimeoutMs, connectTimeoutMs,
                reconnectBackoffMs, reconnectBackoffMaxMs, connectionsMaxIdleMs, sendBytes, receiveBytes,
                maxResponseBytes, negotiateApiVersions);
    }

    public NetworkClientConfig withMaxResponseBytes(int value) {
        return new NetworkClientConfig(clientId, maxInFlightPerConnection, requestTimeoutMs, connectTimeoutMs,
                reconnectBackoffMs, reconnectBackoffMaxMs, connectionsMaxIdleMs, sendBufferBytes, receiveBufferBytes,
                value, negotiateApiVersions);
    }

    public NetworkClientConfig withNegotiateApiVersions(boolean value) {
        return new NetworkClientConfig(clientId, maxInFlightPerConnection, requestTimeoutMs, connectTimeoutMs,
                reconnectBackoffMs, reconnectBackoffMaxMs, connectionsMaxIdleMs, sendBufferBytes, receiveBufferBytes,
                maxResponseBytes, value);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
