package io.fjord.client.producer;

import io.fjord.api.Cluster;
import io.fjord.api.Header;
import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.compression.CompressionCodec;
import io.fjord.api.producer.Partitioner;
import io.fjord.api.producer.ProducerInterceptor;
import io.fjord.api.producer.ProducerRecord;
import io.fjord.api.producer.RecordMetadata;
import io.fjord.api.serialization.SerializationException;
import io.fjord.api.serialization.Serializer;
import io.fjord.client.errors.ClientException;
import io.fjord.client.errors.RecordTooLargeException;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;
import io.fjord.client.producer.internals.BufferPool;
import io.fjord.client.producer.internals.BuiltInPartitioner;
import io.fjord.client.producer.internals.FailedFuture;
import io.fjord.client.producer.internals.KafkaClassNames;
import io.fjord.client.producer.internals.ProducerMetadata;
import io.fjord.client.producer.internals.ProducerMetrics;
import io.fjord.client.producer.internals.RecordAccumulator;
import io.fjord.client.producer.internals.Sender;
import io.fjord.client.producer.internals.SenderConfig;
import io.fjord.common.errors.Errors;
import io.fjord.kernel.PluginRuntime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Fjord's producer: Kafka's producer design and configuration keys. {@code send} serializes and
 * partitions the record on the caller's thread and appends it to its partition's batch in pooled
 * memory; a sender thread drains ready batches into one Produce request per broker through the
 * network client, with idempotence (on by default), retries bounded by {@code delivery.timeout.ms}
 * and metadata refreshes.
 *
 * <p>Every record's future completes and its callback runs exactly once, with the record's offset
 * or a typed exception ({@link io.fjord.client.errors.ClientException} and its subclasses, {@link
 * BufferExhaustedException}, {@link SerializationException}). Thread-safe: share one producer.
 */
public final class FjordProducer<K, V> implements AutoCloseable {

    private static final Header[] NO_HEADERS = new Header[0];

    private final ProducerConfig config;
    private final PluginRuntime plugins;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Partitioner partitioner;
    private final List<ProducerInterceptor<K, V>> interceptors;
    private final BufferPool pool;
    private final RecordAccumulator accumulator;
    private final ProducerMetadata metadata;
    private final ProducerMetrics metrics;
    private final NetworkClient client;
    private final Sender sender;
    private final Thread senderThread;
    private final Map<String, BuiltInPartitioner.StickyState> sticky = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A producer whose serializers come from {@code key.serializer} and {@code value.serializer}. */
    public FjordProducer(Map<String, ?> configs) {
        this(configs, null, null);
    }

    /** A producer with these serializers; a null one comes from the configuration. */
    @SuppressWarnings("unchecked")
    public FjordProducer(Map<String, ?> configs, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this.config = new ProducerConfig(configs);
        this.metrics = new ProducerMetrics(config.metricsSampleWindowMs, config.metricsNumSamples);
        String pluginPath = config.values().get(ProducerConfig.PLUGIN_PATH);
        this.plugins = PluginRuntime.discover(pluginPath == null ? null : Path.of(pluginPath));
        try {
            this.keySerializer = keySerializer != null ? keySerializer
                    : (Serializer<K>) plugins.create(Serializer.class, required(config.keySerializer,
                            ProducerConfig.KEY_SERIALIZER), config.values());
            this.valueSerializer = valueSerializer != null ? valueSerializer
                    : (Serializer<V>) plugins.create(Serializer.class, required(config.valueSerializer,
                            ProducerConfig.VALUE_SERIALIZER), config.values());
            this.partitioner = KafkaClassNames.isDefaultPartitioner(config.partitionerClass) ? null
                    : plugins.create(Partitioner.class, config.partitionerClass, config.values());
            List<ProducerInterceptor<K, V>> chain = new ArrayList<>();
            for (String name : config.interceptorClasses) {
                chain.add((ProducerInterceptor<K, V>) plugins.create(ProducerInterceptor.class, name, config.values()));
            }
            this.interceptors = List.copyOf(chain);
            CompressionCodec codec = config.compressionType.equals("none") ? null
                    : plugins.create(CompressionCodec.class, config.compressionType, config.values());
            this.pool = new BufferPool(config.bufferMemory, config.batchSize);
            this.accumulator = new RecordAccumulator(config.batchSize, config.lingerMs, config.retryBackoffMs,
                    config.maxInFlight == 1, codec, pool);
            this.metadata = new ProducerMetadata(config.metadataMaxAgeMs);
            this.client = new NetworkClient(NetworkClientConfig.defaults(config.clientId)
                    .withMaxInFlightPerConnection(config.maxInFlight)
                    .withRequestTimeoutMs(config.requestTimeoutMs)
                    .withConnectTimeoutMs(config.connectionSetupTimeoutMs)
                    .withReconnectBackoffMs(config.reconnectBackoffMs, config.reconnectBackoffMaxMs)
                    .withConnectionsMaxIdleMs(config.connectionsMaxIdleMs)
                    .withSocketBuffers(config.sendBufferBytes, config.receiveBufferBytes));
            int[] bootstrap = new int[config.bootstrapServers.size()];
            for (int i = 0; i < bootstrap.length; i++) {
                String server = config.bootstrapServers.get(i);
                int colon = server.lastIndexOf(':');
                if (colon <= 0) {
                    throw new io.fjord.api.ConfigException("Invalid bootstrap server " + server + ": not host:port");
                }
                // Bootstrap servers get negative ids until metadata names the brokers.
                bootstrap[i] = -(i + 1);
                client.setNode(bootstrap[i], server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
            }
            this.sender = new Sender(new SenderConfig(config.acks, config.idempotent, config.maxInFlight,
                    config.maxRequestSize, config.requestTimeoutMs, config.deliveryTimeoutMs, config.retryBackoffMs,
                    config.retries, null), accumulator, metadata, client, bootstrap, metrics);
            this.senderThread = new Thread(sender, "fjord-producer-sender-" + config.clientId);
            senderThread.setDaemon(true);
            senderThread.start();
        } catch (RuntimeException e) {
            plugins.close();
            throw e;
        }
    }

    private static String required(String value, String key) {
        if (value == null) {
            throw new io.fjord.api.ConfigException(key + " is required when no serializer is passed");
        }
        return KafkaClassNames.serializer(value);
    }

    /** Sends a record; the future gives its offset. Same as {@code send(record, null)}. */
    public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    /**
     * Sends a record asynchronously: returns once it is in a batch (waiting at most
     * {@code max.block.ms} for the topic's metadata and for buffer memory). Failures before the
     * record is batched are reported the same way as later ones, through the future and the callback.
     */
    public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        ProducerRecord<K, V> intercepted = record;
        for (ProducerInterceptor<K, V> interceptor : interceptors) {
            try {
                intercepted = interceptor.onSend(intercepted);
            } catch (RuntimeException e) {
                // An interceptor's failure is its own: Kafka's producer goes on with the record as it was.
                System.getLogger(FjordProducer.class.getName()).log(System.Logger.Level.WARNING,
                        "Interceptor " + interceptor.name() + " failed in onSend", e);
            }
        }
        Callback onDone = interceptors.isEmpty() ? callback : (metadata, exception) -> {
            for (ProducerInterceptor<K, V> interceptor : interceptors) {
                try {
                    interceptor.onAcknowledgement(metadata, exception);
                } catch (RuntimeException ignored) {
                    // Same rule as onSend: an interceptor never fails the send.
                }
            }
            if (callback != null) {
                callback.onCompletion(metadata, exception);
            }
        };
        try {
            return doSend(intercepted, onDone);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FailedFuture.of(intercepted.topic(), intercepted.partition(),
                    new ClientException(Errors.UNKNOWN_SERVER_ERROR, "Interrupted while sending", e), onDone);
        } catch (RuntimeException e) {
            return FailedFuture.of(intercepted.topic(), intercepted.partition(), e, onDone);
        }
    }

    private Future<RecordMetadata> doSend(ProducerRecord<K, V> record, Callback callback) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("Cannot send after the producer is closed");
        }
        long startNs = System.nanoTime();
        ProducerMetadata.TopicInfo topic = metadata.awaitTopic(record.topic(), config.maxBlockMs, sender::wakeup);
        long remainingBlockMs = Math.max(0, config.maxBlockMs - (System.nanoTime() - startNs) / 1_000_000);
        byte[] key;
        byte[] value;
        try {
            key = keySerializer.serialize(record.topic(), record.headers(), record.key());
        } catch (RuntimeException e) {
            throw new SerializationException("Can't serialize the key of a record to " + record.topic()
                    + " with " + keySerializer.name() + ": " + e.getMessage(), e);
        }
        try {
            value = valueSerializer.serialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            throw new SerializationException("Can't serialize the value of a record to " + record.topic()
                    + " with " + valueSerializer.name() + ": " + e.getMessage(), e);
        }
        Header[] headers = record.headers().size() == 0 ? NO_HEADERS : record.headers().toArray();
        record.headers().setReadOnly();
        int partition = partition(record, key, value, headers, topic);
        TopicPartition tp = topic.partition(partition);
        long timestamp = record.timestamp() == null ? System.currentTimeMillis() : record.timestamp();
        int size = RecordAccumulator.sizeInBatch(key, value, headers);
        if (size > config.maxRequestSize || size > config.bufferMemory) {
            throw new RecordTooLargeException("The record is " + size + " bytes once serialized, more than "
                    + (size > config.maxRequestSize ? ProducerConfig.MAX_REQUEST_SIZE + " (" + config.maxRequestSize
                    : ProducerConfig.BUFFER_MEMORY + " (" + config.bufferMemory) + ")");
        }
        RecordAccumulator.AppendResult result = accumulator.append(tp, timestamp, key, value, headers, callback,
                remainingBlockMs, System.currentTimeMillis());
        if (result.batchFull() || result.newBatch()) {
            sender.wakeup();
        }
        return result.future();
    }

    private int partition(ProducerRecord<K, V> record, byte[] key, byte[] value, Header[] headers,
                          ProducerMetadata.TopicInfo topic) {
        Integer given = record.partition();
        int count = topic.partitionCount();
        if (given != null) {
            if (given >= count) {
                throw new ClientException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + given + " of topic "
                        + record.topic() + " with " + count + " partitions does not exist");
            }
            return given;
        }
        if (partitioner != null) {
            int chosen = partitioner.partition(record.topic(), record.key(), key, record.value(), value,
                    metadata.cluster());
            if (chosen < 0 || chosen >= count) {
                throw new ClientException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partitioner " + partitioner.name()
                        + " chose partition " + chosen + " of " + record.topic() + ", which has " + count);
            }
            return chosen;
        }
        if (key != null && !config.ignoreKeys) {
            return BuiltInPartitioner.partitionForKey(key, count);
        }
        BuiltInPartitioner.StickyState state = sticky.computeIfAbsent(record.topic(), t -> new BuiltInPartitioner.StickyState());
        return state.next(topic, accumulator, config.batchSize, RecordAccumulator.sizeInBatch(key, value, headers));
    }

    /** Makes every record sent so far ready now, and waits until each has its outcome. */
    public void flush() {
        accumulator.beginFlush();
        sender.wakeup();
        try {
            accumulator.awaitFlushCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Errors.UNKNOWN_SERVER_ERROR, "Interrupted while flushing", e);
        } finally {
            accumulator.endFlush();
        }
    }

    /** The topic's partitions, fetching its metadata first if needed (at most {@code max.block.ms}). */
    public List<PartitionInfo> partitionsFor(String topic) {
        try {
            metadata.awaitTopic(topic, config.maxBlockMs, sender::wakeup);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(Errors.UNKNOWN_SERVER_ERROR, "Interrupted while waiting for metadata", e);
        }
        Cluster cluster = metadata.cluster();
        return cluster.partitionsForTopic(topic);
    }

    /**
     * The producer's metrics under Kafka's names: {@code record-send-rate}, {@code batch-size-avg},
     * {@code compression-rate-avg}, {@code buffer-available-bytes}, {@code record-error-rate},
     * {@code request-latency-avg} and others. Totals count from the start; rates, averages and
     * maxima cover Kafka's window ({@code metrics.sample.window.ms} x {@code metrics.num.samples}).
     */
    public Map<String, Double> metrics() {
        return metrics.snapshot(pool.availableMemory(), pool.totalMemory());
    }

    /** Closes, waiting up to 30 days for queued records to be sent (Kafka's "forever"). */
    @Override
    public void close() {
        close(Duration.ofDays(30));
    }

    /**
     * Stops accepting records, sends what is queued for at most {@code timeout}, then fails whatever
     * is left and releases everything. Never waits much past the timeout.
     */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        accumulator.close();
        sender.initiateClose();
        long deadlineNs = System.nanoTime() + Math.max(0, timeout.toNanos());
        if (Thread.currentThread() != senderThread) {
            join(deadlineNs);
            if (senderThread.isAlive()) {
                sender.forceClose();
                join(System.nanoTime() + 5_000_000_000L);
            }
        } else {
            sender.forceClose();
        }
        pool.close();
        client.close(Duration.ofMillis(Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000)));
        for (ProducerInterceptor<K, V> interceptor : interceptors) {
            interceptor.close();
        }
        plugins.close();
    }

    private void join(long deadlineNs) {
        try {
            long remainingMs = (deadlineNs - System.nanoTime()) / 1_000_000;
            if (remainingMs > 0) {
                senderThread.join(remainingMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
