package io.fjord.client.producer;

import io.fjord.api.ConfigException;
import io.fjord.client.internals.ConfigValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The producer's configuration, read from Kafka's producer keys with Kafka's defaults. Values may be
 * strings or numbers, as in Kafka's {@code Properties}. The rules between settings are Kafka's:
 * idempotence (on by default) needs {@code acks=all}, retries and at most 5 requests in flight; set
 * explicitly it is an error to break them, left at its default it is quietly turned off.
 * {@code delivery.timeout.ms} must cover {@code linger.ms + request.timeout.ms}.
 */
public final class ProducerConfig {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String CLIENT_ID = "client.id";
    public static final String ACKS = "acks";
    public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
    public static final String MAX_IN_FLIGHT = "max.in.flight.requests.per.connection";
    public static final String RETRIES = "retries";
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String LINGER_MS = "linger.ms";
    public static final String BATCH_SIZE = "batch.size";
    public static final String BUFFER_MEMORY = "buffer.memory";
    public static final String MAX_BLOCK_MS = "max.block.ms";
    public static final String MAX_REQUEST_SIZE = "max.request.size";
    public static final String COMPRESSION_TYPE = "compression.type";
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
    public static final String PARTITIONER_CLASS = "partitioner.class";
    public static final String PARTITIONER_IGNORE_KEYS = "partitioner.ignore.keys";
    public static final String INTERCEPTOR_CLASSES = "interceptor.classes";
    public static final String KEY_SERIALIZER = "key.serializer";
    public static final String VALUE_SERIALIZER = "value.serializer";
    public static final String TRANSACTIONAL_ID = "transactional.id";
    /** Fjord's: the plugins folder to load partitioners, interceptors, serializers and codecs from. */
    public static final String PLUGIN_PATH = "plugin.path";

    private final Map<String, String> values;
    final List<String> bootstrapServers;
    final String clientId;
    final short acks;
    final boolean idempotent;
    final int maxInFlight;
    final int retries;
    final long deliveryTimeoutMs;
    final long requestTimeoutMs;
    final long lingerMs;
    final int batchSize;
    final long bufferMemory;
    final long maxBlockMs;
    final int maxRequestSize;
    final String compressionType;
    final long retryBackoffMs;
    final long reconnectBackoffMs;
    final long reconnectBackoffMaxMs;
    final long connectionsMaxIdleMs;
    final long connectionSetupTimeoutMs;
    final long metadataMaxAgeMs;
    final long metricsSampleWindowMs;
    final int metricsNumSamples;
    final int sendBufferBytes;
    final int receiveBufferBytes;
    final String partitionerClass;
    final boolean ignoreKeys;
    final List<String> interceptorClasses;
    final String keySerializer;
    final String valueSerializer;

    private static int clientIds;

    public ProducerConfig(Map<String, ?> config) {
        Map<String, String> v = new TreeMap<>();
        config.forEach((key, value) -> v.put(key, value == null ? null : String.valueOf(value)));
        this.values = v;
        String servers = string(BOOTSTRAP_SERVERS, null);
        if (servers == null || servers.isBlank()) {
            throw new ConfigException(BOOTSTRAP_SERVERS + " must name at least one host:port");
        }
        this.bootstrapServers = new ArrayList<>();
        for (String server : servers.split(",")) {
            if (!server.isBlank()) {
                bootstrapServers.add(server.trim());
            }
        }
        this.clientId = string(CLIENT_ID, null) != null ? string(CLIENT_ID, null) : nextClientId();
        String acksText = string(ACKS, "all").trim().toLowerCase(Locale.ROOT);
        this.acks = switch (acksText) {
            case "all", "-1" -> (short) -1;
            case "1" -> (short) 1;
            case "0" -> (short) 0;
            default -> throw new ConfigException("Invalid value " + acksText + " for " + ACKS + ": all, -1, 0 or 1");
        };
        this.maxInFlight = (int) number(MAX_IN_FLIGHT, 5, 1);
        this.retries = (int) number(RETRIES, Integer.MAX_VALUE, 0);
        boolean idempotenceSet = v.containsKey(ENABLE_IDEMPOTENCE);
        boolean wantIdempotence = Boolean.parseBoolean(string(ENABLE_IDEMPOTENCE, "true"));
        String conflict = acks != -1 ? "acks must be all" : retries == 0 ? "retries must be above 0"
                : maxInFlight > 5 ? MAX_IN_FLIGHT + " must be at most 5" : null;
        if (wantIdempotence && conflict != null && idempotenceSet) {
            throw new ConfigException("enable.idempotence=true conflicts with the settings: " + conflict);
        }
        this.idempotent = wantIdempotence && conflict == null;
        this.requestTimeoutMs = number(REQUEST_TIMEOUT_MS, 30_000, 1);
        this.lingerMs = number(LINGER_MS, 5, 0);
        long minDelivery = lingerMs + requestTimeoutMs;
        if (v.containsKey(DELIVERY_TIMEOUT_MS) && number(DELIVERY_TIMEOUT_MS, 0, 1) < minDelivery) {
            throw new ConfigException(DELIVERY_TIMEOUT_MS + " must be at least " + LINGER_MS + " + "
                    + REQUEST_TIMEOUT_MS + " (" + minDelivery + ")");
        }
        this.deliveryTimeoutMs = Math.max(number(DELIVERY_TIMEOUT_MS, 120_000, 1), minDelivery);
        this.batchSize = (int) number(BATCH_SIZE, 16_384, 1);
        this.bufferMemory = number(BUFFER_MEMORY, 32L * 1024 * 1024, batchSize);
        this.maxBlockMs = number(MAX_BLOCK_MS, 60_000, 0);
        this.maxRequestSize = (int) number(MAX_REQUEST_SIZE, 1024 * 1024, 1);
        this.compressionType = string(COMPRESSION_TYPE, "none").trim().toLowerCase(Locale.ROOT);
        this.retryBackoffMs = number(RETRY_BACKOFF_MS, 100, 0);
        this.reconnectBackoffMs = number(RECONNECT_BACKOFF_MS, 50, 0);
        this.reconnectBackoffMaxMs = Math.max(reconnectBackoffMs, number(RECONNECT_BACKOFF_MAX_MS, 1_000, 0));
        this.connectionsMaxIdleMs = number(CONNECTIONS_MAX_IDLE_MS, 540_000, 1);
        this.connectionSetupTimeoutMs = number(SOCKET_CONNECTION_SETUP_TIMEOUT_MS, 10_000, 1);
        this.metadataMaxAgeMs = number(METADATA_MAX_AGE_MS, 300_000, 0);
        this.metricsSampleWindowMs = number(METRICS_SAMPLE_WINDOW_MS, 30_000, 1);
        this.metricsNumSamples = (int) number(METRICS_NUM_SAMPLES, 2, 2);
        this.sendBufferBytes = (int) number(SEND_BUFFER_BYTES, 128 * 1024, -1);
        this.receiveBufferBytes = (int) number(RECEIVE_BUFFER_BYTES, 32 * 1024, -1);
        this.partitionerClass = string(PARTITIONER_CLASS, null);
        this.ignoreKeys = Boolean.parseBoolean(string(PARTITIONER_IGNORE_KEYS, "false"));
        this.interceptorClasses = new ArrayList<>();
        for (String name : string(INTERCEPTOR_CLASSES, "").split(",")) {
            if (!name.isBlank()) {
                interceptorClasses.add(name.trim());
            }
        }
        this.keySerializer = string(KEY_SERIALIZER, null);
        this.valueSerializer = string(VALUE_SERIALIZER, null);
        if (string(TRANSACTIONAL_ID, null) != null) {
            throw new ConfigException(TRANSACTIONAL_ID + " is not supported yet: Fjord's producer is idempotent, not transactional");
        }
    }

    private static synchronized String nextClientId() {
        return "fjord-producer-" + (++clientIds);
    }

    /** Every setting as given, for plugins to pick their own keys from. */
    public Map<String, String> values() {
        return values;
    }

    public boolean idempotent() {
        return idempotent;
    }

    public String clientId() {
        return clientId;
    }

    private String string(String key, String defaultValue) {
        return ConfigValues.string(values, key, defaultValue);
    }

    private long number(String key, long defaultValue, long min) {
        return ConfigValues.number(values, key, defaultValue, min);
    }
}
