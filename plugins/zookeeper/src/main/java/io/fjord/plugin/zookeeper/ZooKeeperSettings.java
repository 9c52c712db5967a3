package io.fjord.plugin.zookeeper;

import io.fjord.api.ConfigException;

import java.util.Map;

/**
 * The engine's settings: Kafka's {@code zookeeper.*} broker keys, which reach the plugin with
 * their {@code zookeeper.} prefix removed. Errors name the key as the user wrote it.
 *
 * @param connect             {@code host:port[,host:port...][/chroot]}
 * @param sessionTimeoutMs    how long the ensemble keeps a silent session (and its ephemeral znodes)
 * @param connectionTimeoutMs how long to wait for a connection before giving up
 * @param maxInFlightRequests how many requests may wait for the ensemble at once
 */
record ZooKeeperSettings(String connect, int sessionTimeoutMs, int connectionTimeoutMs, int maxInFlightRequests) {

    static final String CONNECT = "connect";
    static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
    static final String CONNECTION_TIMEOUT_MS = "connection.timeout.ms";
    static final String MAX_IN_FLIGHT_REQUESTS = "max.in.flight.requests";
    /** Kafka's defaults (KIP-537 raised the session time-out to 18 s). */
    static final int DEFAULT_SESSION_TIMEOUT_MS = 18_000;
    static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 10;

    private static final String PREFIX = "zookeeper.";

    static ZooKeeperSettings parse(Map<String, String> config) {
        String connect = config.get(CONNECT);
        if (connect == null || connect.isBlank()) {
            throw new ConfigException("Missing required configuration " + PREFIX + CONNECT
                    + ": the ZooKeeper ensemble, as host:port[,host:port...][/chroot]");
        }
        connect = connect.trim();
        validateConnect(connect);
        int session = positiveInt(config, SESSION_TIMEOUT_MS, DEFAULT_SESSION_TIMEOUT_MS);
        int connection = positiveInt(config, CONNECTION_TIMEOUT_MS, session);
        int inFlight = positiveInt(config, MAX_IN_FLIGHT_REQUESTS, DEFAULT_MAX_IN_FLIGHT_REQUESTS);
        return new ZooKeeperSettings(connect, session, connection, inFlight);
    }

    /** The hosts part of {@link #connect}, without the chroot. */
    String hosts() {
        int slash = connect.indexOf('/');
        return slash < 0 ? connect : connect.substring(0, slash);
    }

    /** The chroot path of {@link #connect}, or null when it names none. */
    String chroot() {
        int slash = connect.indexOf('/');
        if (slash < 0 || slash == connect.length() - 1) {
            return null;
        }
        return connect.substring(slash);
    }

    private static void validateConnect(String connect) {
        String expected = "host:port[,host:port...][/chroot]";
        int slash = connect.indexOf('/');
        String hosts = slash < 0 ? connect : connect.substring(0, slash);
        if (hosts.isEmpty()) {
            throw new ConfigException(PREFIX + CONNECT, connect, expected);
        }
        for (String hostPort : hosts.split(",", -1)) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (host.isBlank() || host.contains(" ")) {
                throw new ConfigException(PREFIX + CONNECT, connect, expected);
            }
            if (colon >= 0) {
                int port;
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new ConfigException(PREFIX + CONNECT, connect, expected + " with a numeric port");
                }
                if (port < 1 || port > 65_535) {
                    throw new ConfigException(PREFIX + CONNECT, connect, "ports between 1 and 65535");
                }
            }
        }
        if (slash >= 0 && slash < connect.length() - 1) {
            String chroot = connect.substring(slash);
            if (chroot.endsWith("/") || chroot.contains("//") || chroot.contains("/./") || chroot.contains("/../")) {
                throw new ConfigException(PREFIX + CONNECT, connect, "a chroot like /fjord (no empty, '.' or '..' parts)");
            }
        }
    }

    private static int positiveInt(Map<String, String> config, String key, int defaultValue) {
        String value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(PREFIX + key, value, "a positive integer");
        }
        if (parsed <= 0) {
            throw new ConfigException(PREFIX + key, value, "a positive integer");
        }
        return parsed;
    }
}
