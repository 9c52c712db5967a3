package io.fjord.client.consumer;

import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerGroupMetadata;
import io.fjord.api.consumer.ConsumerInterceptor;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.api.consumer.ConsumerRecords;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.serialization.Deserializer;
import io.fjord.client.consumer.internals.ConsumerClassNames;
import io.fjord.client.consumer.internals.OffsetFetcher;
import io.fjord.client.consumer.internals.SubscriptionState;
import io.fjord.client.consumer.internals.ConsumerInternals;
import io.fjord.kernel.PluginRuntime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Fjord's consumer: Kafka's consumer API, configuration keys and defaults, on the classic group
 * protocol. {@code poll} joins the group when needed, resolves positions (committed offsets, else
 * {@code auto.offset.reset}), returns up to {@code max.poll.records} buffered records and keeps one
 * fetch in flight per broker so the next records arrive while the application works.
 *
 * <p>Not thread-safe, as Kafka's: one thread uses it, except {@link #wakeup()}, which any thread
 * may call to make a blocking call throw {@link WakeupException}.
 */
public final class FjordConsumer<K, V> implements AutoCloseable {

    private static final long NO_CURRENT_THREAD = -1L;

    private final ConsumerConfig config;
    private final PluginRuntime plugins;
    private final ConsumerInternals<K, V> internals;
    private final List<ConsumerInterceptor<K, V>> interceptors;
    private final AtomicLong currentThread = new AtomicLong(NO_CURRENT_THREAD);
    private int refCount;
    private volatile boolean closed;

    /** A consumer whose deserializers come from {@code key.deserializer} and {@code value.deserializer}. */
    public FjordConsumer(Map<String, ?> configs) {
        this(configs, null, null);
    }

    /** A consumer with these deserializers; a null one comes from the configuration. */
    @SuppressWarnings("unchecked")
    public FjordConsumer(Map<String, ?> configs, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this.config = new ConsumerConfig(configs);
        String pluginPath = config.values().get(ConsumerConfig.PLUGIN_PATH);
        this.plugins = PluginRuntime.discover(pluginPath == null ? null : Path.of(pluginPath));
        try {
            Deserializer<K> keys = keyDeserializer != null ? keyDeserializer
                    : (Deserializer<K>) plugins.create(Deserializer.class, required(config.keyDeserializer,
                            ConsumerConfig.KEY_DESERIALIZER), config.values());
            Deserializer<V> values = valueDeserializer != null ? valueDeserializer
                    : (Deserializer<V>) plugins.create(Deserializer.class, required(config.valueDeserializer,
                            ConsumerConfig.VALUE_DESERIALIZER), config.values());
            List<ConsumerInterceptor<K, V>> chain = new ArrayList<>();
            for (String name : config.interceptorClasses) {
                chain.add((ConsumerInterceptor<K, V>) plugins.create(ConsumerInterceptor.class, name, config.values()));
            }
            this.interceptors = List.copyOf(chain);
            List<PartitionAssignor> assignors = new ArrayList<>();
            if (config.groupId != null) {
                for (String name : config.assignmentStrategies) {
                    assignors.add(plugins.create(PartitionAssignor.class, ConsumerClassNames.assignor(name), config.values()));
                }
            }
            this.internals = new ConsumerInternals<>(config, plugins, keys, values, interceptors, assignors);
        } catch (RuntimeException e) {
            plugins.close();
            throw e;
        }
    }

    private static String required(String value, String key) {
        if (value == null) {
            throw new io.fjord.api.ConfigException(key + " is required when no deserializer is passed");
        }
        return ConsumerClassNames.deserializer(value);
    }

    // ---- subscription and assignment

    public void subscribe(Collection<String> topics) {
        subscribe(topics, null);
    }

    /** Subscribes to these topics as a group member; an empty collection unsubscribes. */
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        acquire();
        try {
            requireGroup();
            for (String topic : topics) {
                if (topic == null || topic.isBlank()) {
                    throw new IllegalArgumentException("Topic collection to subscribe to cannot contain null or empty topic");
                }
            }
            if (topics.isEmpty()) {
                internals.unsubscribe();
            } else {
                internals.subscribe(topics, listener);
            }
        } finally {
            release();
        }
    }

    public void subscribe(Pattern pattern) {
        subscribe(pattern, null);
    }

    /** Subscribes to every topic whose name matches, checked at each metadata refresh. */
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        acquire();
        try {
            requireGroup();
            internals.subscribe(pattern, listener);
        } finally {
            release();
        }
    }

    /** Reads exactly these partitions, outside any group's assignment; an empty collection unassigns. */
    public void assign(Collection<TopicPartition> partitions) {
        acquire();
        try {
            internals.assign(partitions);
        } finally {
            release();
        }
    }

    /** Leaves the group (revoking the assignment) or drops the manual assignment. */
    public void unsubscribe() {
        acquire();
        try {
            internals.unsubscribe();
        } finally {
            release();
        }
    }

    public Set<TopicPartition> assignment() {
        acquire();
        try {
            return internals.subscriptions().assignedPartitions();
        } finally {
            release();
        }
    }

    public Set<String> subscription() {
        acquire();
        try {
            SubscriptionState s = internals.subscriptions();
            return s.hasAutoAssignment() ? Set.copyOf(s.topics()) : Set.of();
        } finally {
            release();
        }
    }

    private void requireGroup() {
        if (config.groupId == null) {
            throw new io.fjord.client.errors.ClientException(io.fjord.common.errors.Errors.INVALID_GROUP_ID,
                    "To use the group management or offset commit APIs, you must provide a valid group.id");
        }
    }

    // ---- poll

    /**
     * Records fetched since the last call, at most {@code max.poll.records}, waiting up to {@code
     * timeout} for some.
     *
     * @throws WakeupException if {@link #wakeup()} was called
     * @throws RecordDeserializationException if a record does not deserialize (its position stays)
     */
    public ConsumerRecords<K, V> poll(Duration timeout) {
        acquire();
        try {
            if (!internals.subscriptions().hasAutoAssignment() && !internals.subscriptions().isUserAssigned()) {
                throw new IllegalStateException("Consumer is not subscribed to any topics or assigned any partitions");
            }
            Map<TopicPartition, List<ConsumerRecord<K, V>>> records = internals.poll(timeout.toMillis());
            ConsumerRecords<K, V> out = records.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(records);
            for (ConsumerInterceptor<K, V> interceptor : interceptors) {
                try {
                    out = interceptor.onConsume(out);
                } catch (RuntimeException e) {
                    System.getLogger(FjordConsumer.class.getName()).log(System.Logger.Level.WARNING,
                            "Interceptor " + interceptor.name() + " failed in onConsume", e);
                }
            }
            return out;
        } finally {
            release();
        }
    }

    // ---- commits

    public void commitSync() {
        commitSync(Duration.ofMillis(config.defaultApiTimeoutMs));
    }

    /** Commits the positions of every assigned partition, retrying until {@code timeout}. */
    public void commitSync(Duration timeout) {
        acquire();
        try {
            requireGroup();
            internals.committer().commitSync(internals.subscriptions().allConsumed(), timeout.toMillis());
        } finally {
            release();
        }
    }

    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, Duration.ofMillis(config.defaultApiTimeoutMs));
    }

    /**
     * Commits these offsets, retrying retriable errors until {@code timeout}.
     *
     * @throws CommitFailedException if the member's generation is over
     */
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        acquire();
        try {
            requireGroup();
            internals.committer().commitSync(offsets, timeout.toMillis());
        } finally {
            release();
        }
    }

    public void commitAsync() {
        commitAsync(null);
    }

    public void commitAsync(OffsetCommitCallback callback) {
        acquire();
        try {
            requireGroup();
            internals.committer().commitAsync(internals.subscriptions().allConsumed(), callback);
        } finally {
            release();
        }
    }

    /** Commits without waiting; callbacks run in commit order during later calls. */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        acquire();
        try {
            requireGroup();
            internals.committer().commitAsync(offsets, callback);
        } finally {
            release();
        }
    }

    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, Duration.ofMillis(config.defaultApiTimeoutMs));
    }

    /** The committed offsets of these partitions; a partition without one maps to null. */
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        acquire();
        try {
            requireGroup();
            Map<TopicPartition, OffsetAndMetadata> found =
                    internals.committer().fetchCommitted(List.copyOf(partitions), timeout.toMillis());
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            for (TopicPartition tp : partitions) {
                out.put(tp, found.get(tp));
            }
            return out;
        } finally {
            release();
        }
    }

    // ---- positions

    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("seek offset must not be a negative number");
        }
        acquire();
        try {
            internals.subscriptions().seek(partition, offset, Optional.empty());
        } finally {
            release();
        }
    }

    public void seek(TopicPartition partition, OffsetAndMetadata offset) {
        acquire();
        try {
            internals.subscriptions().seek(partition, offset.offset(), offset.leaderEpoch());
        } finally {
            release();
        }
    }

    /** Moves these partitions (all assigned if empty) to their first offset, resolved lazily. */
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        seekTo(partitions, ConsumerConfig.OffsetReset.EARLIEST);
    }

    /** Moves these partitions (all assigned if empty) to their end, resolved lazily. */
    public void seekToEnd(Collection<TopicPartition> partitions) {
        seekTo(partitions, ConsumerConfig.OffsetReset.LATEST);
    }

    private void seekTo(Collection<TopicPartition> partitions, ConsumerConfig.OffsetReset reset) {
        acquire();
        try {
            Collection<TopicPartition> which = partitions.isEmpty()
                    ? internals.subscriptions().assignedPartitions() : partitions;
            for (TopicPartition tp : which) {
                internals.subscriptions().requestReset(tp, reset);
            }
        } finally {
            release();
        }
    }

    public long position(TopicPartition partition) {
        return position(partition, Duration.ofMillis(config.defaultApiTimeoutMs));
    }

    /** The offset of the next record {@code poll} returns for the partition, resolving it if needed. */
    public long position(TopicPartition partition, Duration timeout) {
        acquire();
        try {
            return internals.position(partition, timeout.toMillis());
        } finally {
            release();
        }
    }

    public void pause(Collection<TopicPartition> partitions) {
        acquire();
        try {
            partitions.forEach(internals.subscriptions()::pause);
        } finally {
            release();
        }
    }

    public void resume(Collection<TopicPartition> partitions) {
        acquire();
        try {
            partitions.forEach(internals.subscriptions()::resume);
        } finally {
            release();
        }
    }

    public Set<TopicPartition> paused() {
        acquire();
        try {
            return internals.subscriptions().paused();
        } finally {
            release();
        }
    }

    // ---- offsets by time

    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return beginningOffsets(partitions, Duration.ofMillis(config.defaultApiTimeoutMs));
    }

    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return offsetsAt(partitions, OffsetFetcher.EARLIEST, timeout);
    }

    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return endOffsets(partitions, Duration.ofMillis(config.defaultApiTimeoutMs));
    }

    /** The offset after the last record (the high watermark, or the last stable offset under read_committed). */
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return offsetsAt(partitions, OffsetFetcher.LATEST, timeout);
    }

    private Map<TopicPartition, Long> offsetsAt(Collection<TopicPartition> partitions, long timestamp, Duration timeout) {
        acquire();
        try {
            Map<TopicPartition, Long> query = new LinkedHashMap<>();
            partitions.forEach(tp -> query.put(tp, timestamp));
            Map<TopicPartition, Long> out = new HashMap<>();
            internals.offsetFetcher().listOffsets(query, timeout.toMillis()).forEach((tp, o) -> out.put(tp, o.offset()));
            return out;
        } finally {
            release();
        }
    }

    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        return offsetsForTimes(timestamps, Duration.ofMillis(config.defaultApiTimeoutMs));
    }

    /** The first offset at or after each timestamp; null for a partition with no such record. */
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps, Duration timeout) {
        acquire();
        try {
            timestamps.forEach((tp, ts) -> {
                if (ts < 0) {
                    throw new IllegalArgumentException("The target time for partition " + tp + " is " + ts
                            + ". The target time cannot be negative.");
                }
            });
            Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
            internals.offsetFetcher().listOffsets(timestamps, timeout.toMillis()).forEach((tp, o) ->
                    out.put(tp, o.offset() < 0 ? null : new OffsetAndTimestamp(o.offset(), o.timestamp(), o.leaderEpoch())));
            return out;
        } finally {
            release();
        }
    }

    /** The partitions of a topic, fetching its metadata if needed. */
    public List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
        acquire();
        try {
            return internals.partitionsFor(topic, timeout.toMillis());
        } finally {
            release();
        }
    }

    // ---- group

    public ConsumerGroupMetadata groupMetadata() {
        acquire();
        try {
            requireGroup();
            return internals.groupMetadata();
        } finally {
            release();
        }
    }

    /** Asks the group to rebalance at the next poll. */
    public void enforceRebalance() {
        acquire();
        try {
            internals.enforceRebalance();
        } finally {
            release();
        }
    }

    /**
     * Metrics under Kafka's names where it has them: {@code records-consumed-rate}, {@code
     * bytes-consumed-rate}, {@code fetch-rate}, {@code records-lag-max}, {@code commit-total} and
     * Fjord's {@code fetch-session-full-total} / {@code fetch-session-incremental-total}. Rates
     * cover Kafka's window ({@code metrics.sample.window.ms} x {@code metrics.num.samples}).
     */
    public Map<String, Double> metrics() {
        return internals.metrics();
    }

    /** Makes the current or next blocking call throw {@link WakeupException}; safe from any thread. */
    public void wakeup() {
        internals.network().wakeup();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Commits (with auto-commit), revokes, leaves the group and releases everything, within {@code timeout}. */
    public void close(Duration timeout) {
        acquireEvenIfClosed();
        try {
            if (closed) {
                return;
            }
            try {
                // The rebalance listener may still use the consumer (commit) while it closes.
                internals.close(timeout.toMillis());
            } finally {
                closed = true;
                for (ConsumerInterceptor<K, V> interceptor : interceptors) {
                    interceptor.close();
                }
                plugins.close();
            }
        } finally {
            release();
        }
    }

    // ---- single-thread guard, as Kafka's

    private void acquire() {
        acquireEvenIfClosed();
        if (closed) {
            release();
            throw new IllegalStateException("This consumer has already been closed.");
        }
    }

    private void acquireEvenIfClosed() {
        long id = Thread.currentThread().getId();
        if (id != currentThread.get() && !currentThread.compareAndSet(NO_CURRENT_THREAD, id)) {
            throw new ConcurrentModificationException("FjordConsumer is not safe for multi-threaded access");
        }
        refCount++;
    }

    private void release() {
        if (--refCount == 0) {
            currentThread.set(NO_CURRENT_THREAD);
        }
    }
}
