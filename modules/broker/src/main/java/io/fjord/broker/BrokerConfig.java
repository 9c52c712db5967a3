package io.fjord.broker;

import io.fjord.api.ConfigException;
import io.fjord.controller.ControllerConfig;
import io.fjord.coordinator.GroupCoordinatorConfig;
import io.fjord.network.NetworkConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The broker's settings, from a Kafka-style {@code server.properties} plus overrides, under
 * Kafka's property names and with Kafka's defaults. Fjord's own keys use the {@code fjord.}
 * prefix. Keys neither Kafka's nor Fjord's are kept in {@link #unknownKeys()} for a start-up
 * warning, not refused, so a file written for Kafka works unchanged; the known ones, with Kafka's
 * defaults, are in {@link BrokerConfigs}.
 *
 * <p>{@code broker.id} is accepted as the older name of {@code node.id}. Only the first listener
 * of {@code listeners} is served (one plaintext endpoint).
 */
public final class BrokerConfig {

    /** The plugins folder, Kafka Connect's name for it; unset means the installation's {@code plugins/}. */
    public static final String PLUGIN_PATH = "plugin.path";
    /** The most partitions DescribeTopicPartitions answers with at once, Kafka's setting. */
    static final String MAX_REQUEST_PARTITION_SIZE_LIMIT = "max.request.partition.size.limit";
    static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";

    /** The settings of a broker started without a file: one node on the loopback interface. */
    public static final Map<String, String> EMBEDDED_DEFAULTS = Collections.unmodifiableMap(new LinkedHashMap<>(Map.of(
            "node.id", "1",
            "listeners", "PLAINTEXT://127.0.0.1:9092",
            "log.dirs", "./fjord-data",
            "offsets.topic.replication.factor", "1")));

    private final Map<String, String> properties;
    private final int nodeId;
    private final String listenerHost;
    private final int listenerPort;
    private final String advertisedHost;
    private final int advertisedPort;
    private final ControllerConfig controllerConfig;
    private final GroupCoordinatorConfig groupCoordinatorConfig;
    private final Path pluginPath;
    private final List<String> unknownKeys;

    private BrokerConfig(Map<String, String> input) {
        Map<String, String> props = new TreeMap<>(input);
        String brokerId = props.get("broker.id");
        String nodeIdValue = props.get("node.id");
        if (nodeIdValue == null && brokerId != null) {
            props.put("node.id", brokerId);
        } else if (nodeIdValue != null && brokerId != null && !nodeIdValue.trim().equals(brokerId.trim())) {
            throw new ConfigException("broker.id", brokerId, "the same value as node.id (" + nodeIdValue + ")");
        }
        this.properties = Collections.unmodifiableMap(props);
        this.controllerConfig = ControllerConfig.from(props);
        this.groupCoordinatorConfig = GroupCoordinatorConfig.from(props);
        this.nodeId = controllerConfig.nodeId();
        String[] listener = parseListener("listeners", props.getOrDefault("listeners", "PLAINTEXT://:9092"));
        this.listenerHost = listener[0];
        this.listenerPort = parsePort("listeners", listener[1]);
        String advertised = props.get("advertised.listeners");
        if (advertised == null || advertised.isBlank()) {
            this.advertisedHost = listenerHost.isEmpty() || listenerHost.equals("0.0.0.0") ? localHostName() : listenerHost;
            this.advertisedPort = listenerPort;
        } else {
            String[] a = parseListener("advertised.listeners", advertised);
            if (a[0].isEmpty()) {
                throw new ConfigException("advertised.listeners", advertised, "a host name or address clients can reach");
            }
            this.advertisedHost = a[0];
            this.advertisedPort = parsePort("advertised.listeners", a[1]);
        }
        // Validated here so a bad value stops the start with the property's name.
        networkConfig();
        maxRequestPartitionSizeLimit();
        maxIncrementalFetchSessionCacheSlots();
        String plugins = props.get(PLUGIN_PATH);
        if (plugins != null && plugins.contains(",")) {
            throw new ConfigException(PLUGIN_PATH, plugins, "one folder (Fjord reads a single plugins folder)");
        }
        this.pluginPath = plugins == null || plugins.isBlank() ? null : Path.of(plugins.trim());
        List<String> unknown = new ArrayList<>();
        for (String key : props.keySet()) {
            if (!BrokerConfigs.isKnown(key)) {
                unknown.add(key);
            }
        }
        this.unknownKeys = List.copyOf(unknown);
    }

    /** The settings in {@code properties}. */
    public static BrokerConfig of(Map<String, String> properties) {
        return new BrokerConfig(properties);
    }

    /**
     * The settings of a {@code server.properties} file (or {@link #EMBEDDED_DEFAULTS} when {@code
     * file} is null), with {@code overrides} applied on top.
     *
     * @throws ConfigException for a missing or malformed value
     */
    public static BrokerConfig load(Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        if (file == null) {
            props.putAll(EMBEDDED_DEFAULTS);
        } else {
            Properties p = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(reader);
            }
            for (String name : p.stringPropertyNames()) {
                props.put(name, p.getProperty(name).trim());
            }
        }
        props.putAll(overrides);
        return new BrokerConfig(props);
    }

    private static String[] parseListener(String key, String value) {
        String first = value.split(",")[0].trim();
        int scheme = first.indexOf("://");
        if (scheme <= 0) {
            throw new ConfigException(key, value, "NAME://host:port, e.g. PLAINTEXT://127.0.0.1:9092");
        }
        String protocol = first.substring(0, scheme);
        if (!protocol.equals("PLAINTEXT")) {
            throw new ConfigException(key, value, "a PLAINTEXT listener (the only security protocol Fjord serves)");
        }
        String hostPort = first.substring(scheme + 3);
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(key, value, "NAME://host:port, e.g. PLAINTEXT://127.0.0.1:9092");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }

    private static int parsePort(String key, String text) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 0 || port > 65535) {
                throw new ConfigException(key, text, "a port in 0..65535");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, text, "a port in 0..65535");
        }
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getCanonicalHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Every property, overrides applied, {@code broker.id} copied to {@code node.id}. */
    public Map<String, String> properties() {
        return properties;
    }

    public int nodeId() {
        return nodeId;
    }

    /** {@code max.request.partition.size.limit}: at least 1, Kafka's default 2000. */
    int maxRequestPartitionSizeLimit() {
        String value = properties.getOrDefault(MAX_REQUEST_PARTITION_SIZE_LIMIT, "2000").trim();
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(MAX_REQUEST_PARTITION_SIZE_LIMIT, value, "a whole number of at least 1");
    }

    /** {@code max.incremental.fetch.session.cache.slots}: at least 0, Kafka's default 1000. */
    int maxIncrementalFetchSessionCacheSlots() {
        String value = properties.getOrDefault(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, "1000").trim();
        try {
            int slots = Integer.parseInt(value);
            if (slots >= 0) {
                return slots;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ConfigException(MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, value, "a whole number of at least 0");
    }

    /** The address to bind; empty for every interface. */
    public String listenerHost() {
        return listenerHost;
    }

    /** The port to bind; 0 picks a free one. */
    public int listenerPort() {
        return listenerPort;
    }

    /** The host clients are told to connect to (Metadata, DescribeCluster). */
    public String advertisedHost() {
        return advertisedHost;
    }

    /** The advertised port; 0 means "the bound port". */
    public int advertisedPort() {
        return advertisedPort;
    }

    public List<Path> logDirs() {
        return controllerConfig.logDirs();
    }

    /** The plugins folder of {@code plugin.path}, or null when it is not set. */
    public Path pluginPath() {
        return pluginPath;
    }

    public ControllerConfig controllerConfig() {
        return controllerConfig;
    }

    /** The group coordinator's settings ({@code group.*}, {@code offsets.*}). */
    public GroupCoordinatorConfig groupCoordinatorConfig() {
        return groupCoordinatorConfig;
    }

    public NetworkConfig networkConfig() {
        try {
            return NetworkConfig.from(listenerHost.isEmpty() ? null : listenerHost, listenerPort, properties);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Keys neither Kafka's broker settings Fjord knows nor {@code fjord.*}; reported at start-up. */
    public List<String> unknownKeys() {
        return unknownKeys;
    }
}
