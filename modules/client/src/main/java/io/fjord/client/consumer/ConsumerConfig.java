package io.fjord.client.consumer;

import io.fjord.api.ConfigException;
import io.fjord.client.internals.ConfigValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The consumer's configuration, read from Kafka's consumer keys with Kafka's defaults. Values may be
 * strings or numbers, as in Kafka's {@code Properties}. Kafka's rules between settings hold:
 * auto-commit is on by default only with a {@code group.id}, and set explicitly without one it is
 * an error; the heartbeat interval must be shorter than the session timeout.
 *
 * <p>One default differs on purpose: {@code receive.buffer.bytes} is -1, the system's autotuned
 * buffer (librdkafka's default too), not Kafka's fixed 64 KiB. A 64 KiB window makes the broker
 * send a megabyte fetch in sixteen turns, each waiting for the I/O thread to drain the socket;
 * autotuned, alternating runs on a 4-partition topic read 20 to 45% faster with less CPU.
 */
public final class ConsumerConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String CLIENT_RACK = "client.rack";
    public static final String GROUP_ID = "group.id";
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    public static final String GROUP_PROTOCOL = "group.protocol";
    public static final String AUTO_OFFSET_RESET = "auto.offset.reset";
    public static final String ENABLE_AUTO_COMMIT = "enable.auto.commit";
    public static final String AUTO_COMMIT_INTERVAL_MS = "auto.commit.interval.ms";
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
    public static final String SESSION_TIMEOUT_MS = "session.timeout.ms";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    public static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
    public static final String ISOLATION_LEVEL = "isolation.level";
    public static final String CHECK_CRCS = "check.crcs";
    public static final String PARTITION_ASSIGNMENT_STRATEGY = "partition.assignment.strategy";
    public static final String INTERCEPTOR_CLASSES = "interceptor.classes";
    public static final String KEY_DESERIALIZER = "key.deserializer";
    public static final String VALUE_DESERIALIZER = "value.deserializer";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RECONNECT_BACKOFF_MS = "reconnect.backoff.ms";
    public static final String RECONNECT_BACKOFF_MAX_MS = "reconnect.backoff.max.ms";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String SOCKET_CONNECTION_SETUP_TIMEOUT_MS = "socket.connection.setup.timeout.ms";
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";
    public static final String METRICS_SAMPLE_WINDOW_MS = "metrics.sample.window.ms";
    public static final String METRICS_NUM_SAMPLES = "metrics.num.samples";
    public static final String SEND_BUFFER_BYTES = "send.buffer.bytes";
    public static final String RECEIVE_BUFFER_BYTES = "receive.buffer.bytes";
    public static final String EXCLUDE_INTERNAL_TOPICS = "exclude.internal.topics";
    public static final String ALLOW_AUTO_CREATE_TOPICS = "allow.auto.create.topics";
    /** Fjord's: the plugins folder to load deserializers, interceptors and assignors from. */
    public static final String PLUGIN_PATH = "plugin.path";

    /** What to do without a valid position: Kafka's {@code auto.offset.reset} values. */
    public enum OffsetReset { EARLIEST, LATEST, NONE }

    private final Map<String, String> values;
    public final List<String> bootstrapServers;
    public final String clientId;
    public final String clientRack;
    public final String groupId;
    public final String groupInstanceId;
    public final OffsetReset autoOffsetReset;
    public final boolean enableAutoCommit;
    public final long autoCommitIntervalMs;
    public final int maxPollRecords;
    public final int maxPollIntervalMs;
    public final int sessionTimeoutMs;
    public final int heartbeatIntervalMs;
    public final int fetchMinBytes;
    public final int fetchMaxWaitMs;
    public final int fetchMaxBytes;
    public final int maxPartitionFetchBytes;
    public final boolean readCommitted;
    public final boolean checkCrcs;
    public final List<String> assignmentStrategies;
    public final List<String> interceptorClasses;
    public final String keyDeserializer;
    public final String valueDeserializer;
    public final long requestTimeoutMs;
    public final long defaultApiTimeoutMs;
    public final long retryBackoffMs;
    public final long reconnectBackoffMs;
    public final long reconnectBackoffMaxMs;
    public final long connectionsMaxIdleMs;
    public final long connectionSetupTimeoutMs;
    public final long metadataMaxAgeMs;
    public final long metricsSampleWindowMs;
    public final int metricsNumSamples;
    public final int sendBufferBytes;
    public final int receiveBufferBytes;
    public final boolean excludeInternalTopics;
    public final boolean allowAutoCreateTopics;

    private static int clientIds;

    public ConsumerConfig(Map<String, ?> config) {
        Map<String, String> v = new TreeMap<>();
        config.forEach((key, value) -> v.put(key, value == null ? null : String.valueOf(value)));
        this.values = v;
        this.bootstrapServers = list(BOOTSTRAP_SERVERS, "");
        if (bootstrapServers.isEmpty()) {
            throw new ConfigException(BOOTSTRAP_SERVERS + " must name at least one host:port");
        }
        this.groupId = blankToNull(string(GROUP_ID, null));
        this.groupInstanceId = blankToNull(string(GROUP_INSTANCE_ID, null));
        this.clientId = string(CLIENT_ID, null) != null ? string(CLIENT_ID, null) : nextClientId(groupId);
        this.clientRack = string(CLIENT_RACK, "");
        String protocol = string(GROUP_PROTOCOL, "classic").trim().toLowerCase(Locale.ROOT);
        if (!protocol.equals("classic")) {
            throw new ConfigException("Invalid value " + protocol + " for " + GROUP_PROTOCOL
                    + ": Fjord's consumer speaks the classic group protocol only");
        }
        String reset = string(AUTO_OFFSET_RESET, "latest").trim().toLowerCase(Locale.ROOT);
        this.autoOffsetReset = switch (reset) {
            case "earliest" -> OffsetReset.EARLIEST;
            case "latest" -> OffsetReset.LATEST;
            case "none" -> OffsetReset.NONE;
            default -> throw new ConfigException("Invalid value " + reset + " for " + AUTO_OFFSET_RESET
                    + ": earliest, latest or none");
        };
        boolean autoCommitSet = v.get(ENABLE_AUTO_COMMIT) != null;
        boolean autoCommit = Boolean.parseBoolean(string(ENABLE_AUTO_COMMIT, "true").trim());
        if (groupId == null && autoCommitSet && autoCommit) {
            throw new ConfigException(ENABLE_AUTO_COMMIT + " cannot be true without a " + GROUP_ID);
        }
        this.enableAutoCommit = groupId != null && autoCommit;
        this.autoCommitIntervalMs = number(AUTO_COMMIT_INTERVAL_MS, 5_000, 0);
        this.maxPollRecords = (int) number(MAX_POLL_RECORDS, 500, 1);
        this.maxPollIntervalMs = (int) number(MAX_POLL_INTERVAL_MS, 300_000, 1);
        this.sessionTimeoutMs = (int) number(SESSION_TIMEOUT_MS, 45_000, 1);
        this.heartbeatIntervalMs = (int) number(HEARTBEAT_INTERVAL_MS, 3_000, 1);
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new ConfigException(HEARTBEAT_INTERVAL_MS + " must be lower than " + SESSION_TIMEOUT_MS);
        }
        this.fetchMinBytes = (int) number(FETCH_MIN_BYTES, 1, 0);
        this.fetchMaxWaitMs = (int) number(FETCH_MAX_WAIT_MS, 500, 0);
        this.fetchMaxBytes = (int) number(FETCH_MAX_BYTES, 50 * 1024 * 1024, 0);
        this.maxPartitionFetchBytes = (int) number(MAX_PARTITION_FETCH_BYTES, 1024 * 1024, 0);
        String isolation = string(ISOLATION_LEVEL, "read_uncommitted").trim().toLowerCase(Locale.ROOT);
        if (!isolation.equals("read_uncommitted") && !isolation.equals("read_committed")) {
            throw new ConfigException("Invalid value " + isolation + " for " + ISOLATION_LEVEL
                    + ": read_uncommitted or read_committed");
        }
        this.readCommitted = isolation.equals("read_committed");
        this.checkCrcs = Boolean.parseBoolean(string(CHECK_CRCS, "true").trim());
        this.assignmentStrategies = list(PARTITION_ASSIGNMENT_STRATEGY,
                "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        if (groupId != null && assignmentStrategies.isEmpty()) {
            throw new ConfigException(PARTITION_ASSIGNMENT_STRATEGY + " must name at least one assignor");
        }
        this.interceptorClasses = list(INTERCEPTOR_CLASSES, "");
        this.keyDeserializer = string(KEY_DESERIALIZER, null);
        this.valueDeserializer = string(VALUE_DESERIALIZER, null);
        this.requestTimeoutMs = number(REQUEST_TIMEOUT_MS, 30_000, 1);
        this.defaultApiTimeoutMs = number(DEFAULT_API_TIMEOUT_MS, 60_000, 0);
        this.retryBackoffMs = number(RETRY_BACKOFF_MS, 100, 0);
        this.reconnectBackoffMs = number(RECONNECT_BACKOFF_MS, 50, 0);
        this.reconnectBackoffMaxMs = Math.max(reconnectBackoffMs, number(RECONNECT_BACKOFF_MAX_MS, 1_000, 0));
        this.connectionsMaxIdleMs = number(CONNECTIONS_MAX_IDLE_MS, 540_000, 1);
        this.connectionSetupTimeoutMs = number(SOCKET_CONNECTION_SETUP_TIMEOUT_MS, 10_000, 1);
        this.metadataMaxAgeMs = number(METADATA_MAX_AGE_MS, 300_000, 0);
        this.metricsSampleWindowMs = number(METRICS_SAMPLE_WINDOW_MS, 30_000, 1);
        this.metricsNumSamples = (int) number(METRICS_NUM_SAMPLES, 2, 2);
        this.sendBufferBytes = (int) number(SEND_BUFFER_BYTES, 128 * 1024, -1);
        this.receiveBufferBytes = (int) number(RECEIVE_BUFFER_BYTES, -1, -1);
        this.excludeInternalTopics = Boolean.parseBoolean(string(EXCLUDE_INTERNAL_TOPICS, "true").trim());
        this.allowAutoCreateTopics = Boolean.parseBoolean(string(ALLOW_AUTO_CREATE_TOPICS, "true").trim());
    }

    private static synchronized String nextClientId(String groupId) {
        return "fjord-consumer-" + (groupId == null ? "" : groupId + "-") + (++clientIds);
    }

    /** Every setting as given, for plugins to pick their own keys from. */
    public Map<String, String> values() {
        return values;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private String string(String key, String defaultValue) {
        return ConfigValues.string(values, key, defaultValue);
    }

    private List<String> list(String key, String defaultValue) {
        List<String> out = new ArrayList<>();
        for (String item : string(key, defaultValue).split(",")) {
            if (!item.isBlank()) {
                out.add(item.trim());
            }
        }
        return List.copyOf(out);
    }

    private long number(String key, long defaultValue, long min) {
        return ConfigValues.number(values, key, defaultValue, min);
    }
}
