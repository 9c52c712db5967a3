package io.fjord.network;

import java.util.Map;

/**
 * The settings of the socket server, under Kafka's property names and with Kafka's defaults where
 * Kafka has the setting; Fjord's own settings use the {@code fjord.} prefix.
 *
 * @param host the address to listen on; {@code null} or empty means all interfaces
 * @param port the port to listen on; 0 picks a free one
 * @param numNetworkThreads processor event loops ({@value #NUM_NETWORK_THREADS})
 * @param numIoThreads request handler threads ({@value #NUM_IO_THREADS})
 * @param queuedMaxRequests capacity of the request channel ({@value #QUEUED_MAX_REQUESTS})
 * @param queuedMaxRequestBytes bytes of requests read and not yet answered above which the
 *     processors stop reading, or -1 for no bound ({@value #QUEUED_MAX_REQUEST_BYTES}); see
 *     {@link RequestMemoryPool}
 * @param socketRequestMaxBytes the largest request frame accepted ({@value #SOCKET_REQUEST_MAX_BYTES})
 * @param maxConnections connections accepted at once; more are closed at accept ({@value #MAX_CONNECTIONS})
 * @param connectionsMaxIdleMs idle connections are closed after this long ({@value #CONNECTIONS_MAX_IDLE_MS})
 * @param socketSendBufferBytes SO_SNDBUF, or -1 for the OS default ({@value #SOCKET_SEND_BUFFER_BYTES})
 * @param socketReceiveBufferBytes SO_RCVBUF, or -1 for the OS default ({@value #SOCKET_RECEIVE_BUFFER_BYTES})
 * @param writeBufferHighWaterMark bytes queued for a connection above which it stops being read
 *     ({@value #WRITE_BUFFER_HIGH_WATER_MARK}); reading resumes below half of it
 * @param transport {@code auto} (epoll where available, else NIO), {@code epoll} or {@code nio}
 *     ({@value #TRANSPORT})
 */
public record NetworkConfig(String host, int port, int numNetworkThreads, int numIoThreads,
        int queuedMaxRequests, long queuedMaxRequestBytes, int socketRequestMaxBytes, int maxConnections,
        long connectionsMaxIdleMs,
        int socketSendBufferBytes, int socketReceiveBufferBytes, int writeBufferHighWaterMark,
        String transport) {

    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
    public static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String WRITE_BUFFER_HIGH_WATER_MARK = "fjord.network.write.buffer.high.water.mark.bytes";
    public static final String TRANSPORT = "fjord.network.transport";

    public NetworkConfig {
        requireInRange(NUM_NETWORK_THREADS, numNetworkThreads, 1, 1024);
        requireInRange(NUM_IO_THREADS, numIoThreads, 1, 1024);
        requireInRange(QUEUED_MAX_REQUESTS, queuedMaxRequests, 1, 1 << 24);
        if (queuedMaxRequestBytes < 1 && queuedMaxRequestBytes != -1) {
            throw new IllegalArgumentException(QUEUED_MAX_REQUEST_BYTES + " must be positive or -1: "
                    + queuedMaxRequestBytes);
        }
        requireInRange(SOCKET_REQUEST_MAX_BYTES, socketRequestMaxBytes, 1, Integer.MAX_VALUE);
        requireInRange(MAX_CONNECTIONS, maxConnections, 0, Integer.MAX_VALUE);
        requireInRange("port", port, 0, 65535);
        if (connectionsMaxIdleMs < 1) {
            throw new IllegalArgumentException(CONNECTIONS_MAX_IDLE_MS + " must be positive: " + connectionsMaxIdleMs);
        }
        requireInRange(SOCKET_SEND_BUFFER_BYTES, socketSendBufferBytes, -1, Integer.MAX_VALUE);
        requireInRange(SOCKET_RECEIVE_BUFFER_BYTES, socketReceiveBufferBytes, -1, Integer.MAX_VALUE);
        requireInRange(WRITE_BUFFER_HIGH_WATER_MARK, writeBufferHighWaterMark, 2, Integer.MAX_VALUE);
        if (!transport.equals("auto") && !transport.equals("epoll") && !transport.equals("nio")) {
            throw new IllegalArgumentException(TRANSPORT + " must be auto, epoll or nio: " + transport);
        }
    }

    /** Kafka's defaults, listening on {@code host:port}. */
    public static NetworkConfig defaults(String host, int port) {
        return new NetworkConfig(host, port, 3, 8, 500, -1L, 104_857_600, Integer.MAX_VALUE, 600_000L,
                102_400, 102_400, 65_536, "auto");
    }

    /**
     * The defaults, overridden by whichever of this class's property names {@code properties}
     * holds; other keys are ignored (they belong to other parts of the broker).
     */
    public static NetworkConfig from(String host, int port, Map<String, String> properties) {
        NetworkConfig d = defaults(host, port);
        return new NetworkConfig(host, port,
                intValue(properties, NUM_NETWORK_THREADS, d.numNetworkThreads),
                intValue(properties, NUM_IO_THREADS, d.numIoThreads),
                intValue(properties, QUEUED_MAX_REQUESTS, d.queuedMaxRequests),
                longValue(properties, QUEUED_MAX_REQUEST_BYTES, d.queuedMaxRequestBytes),
                intValue(properties, SOCKET_REQUEST_MAX_BYTES, d.socketRequestMaxBytes),
                intValue(properties, MAX_CONNECTIONS, d.maxConnections),
                longValue(properties, CONNECTIONS_MAX_IDLE_MS, d.connectionsMaxIdleMs),
                intValue(properties, SOCKET_SEND_BUFFER_BYTES, d.socketSendBufferBytes),
                intValue(properties, SOCKET_RECEIVE_BUFFER_BYTES, d.socketReceiveBufferBytes),
                intValue(properties, WRITE_BUFFER_HIGH_WATER_MARK, d.writeBufferHighWaterMark),
                properties.getOrDefault(TRANSPORT, d.transport).trim());
    }

    private static int intValue(Map<String, String> properties, String key, int defaultValue) {
        long value = longValue(properties, key, defaultValue);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " is out of range: " + value);
        }
        return (int) value;
    }

    private static long longValue(Map<String, String> properties, String key, long defaultValue) {
        String text = properties.get(key);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + text, e);
        }
    }

    private static void requireInRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ": " + value);
        }
    }
}
