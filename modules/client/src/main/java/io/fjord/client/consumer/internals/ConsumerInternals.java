package io.fjord.client.consumer.internals;

import io.fjord.api.PartitionInfo;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerGroupMetadata;
import io.fjord.api.consumer.ConsumerInterceptor;
import io.fjord.api.consumer.ConsumerRecord;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.api.consumer.PartitionAssignor;
import io.fjord.api.serialization.Deserializer;
import io.fjord.client.consumer.ConsumerConfig;
import io.fjord.client.consumer.ConsumerRebalanceListener;
import io.fjord.client.errors.TimeoutException;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;
import io.fjord.kernel.PluginRuntime;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The consumer's parts wired together and its poll loop: metadata, group membership, positions,
 * fetches. The public {@code FjordConsumer} checks arguments and threads and delegates here.
 */
public final class ConsumerInternals<K, V> {

    private static final System.Logger LOG = System.getLogger(ConsumerInternals.class.getName());

    private final ConsumerConfig config;
    private final NetworkClient client;
    private final NetworkClient groupClient;
    private final ConsumerNetwork network;
    private final ConsumerMetadata metadata;
    private final SubscriptionState subscriptions;
    private final ConsumerMetrics metrics;
    private final Fetcher<K, V> fetcher;
    private final OffsetFetcher offsetFetcher;
    private final PositionValidator positionValidator;
    private final GroupCoordinatorClient coordinator;
    private final GroupMembership membership;
    private final OffsetCommitter committer;
    private long nextAutoCommitMs;

    public ConsumerInternals(ConsumerConfig config, PluginRuntime plugins, Deserializer<K> keys, Deserializer<V> values,
                             List<? extends ConsumerInterceptor<K, V>> interceptors, List<PartitionAssignor> assignors) {
        this.config = config;
        this.metrics = new ConsumerMetrics(config.metricsSampleWindowMs, config.metricsNumSamples);
        NetworkClientConfig base = NetworkClientConfig.defaults(config.clientId)
                .withRequestTimeoutMs(config.requestTimeoutMs)
                .withConnectTimeoutMs(config.connectionSetupTimeoutMs)
                .withReconnectBackoffMs(config.reconnectBackoffMs, config.reconnectBackoffMaxMs)
                .withConnectionsMaxIdleMs(config.connectionsMaxIdleMs)
                .withSocketBuffers(config.sendBufferBytes, config.receiveBufferBytes);
        this.client = new NetworkClient(base);
        int[] bootstrap = new int[config.bootstrapServers.size()];
        for (int i = 0; i < bootstrap.length; i++) {
            String server = config.bootstrapServers.get(i);
            int colon = server.lastIndexOf(':');
            if (colon <= 0) {
                client.close(Duration.ZERO);
                throw new io.fjord.api.ConfigException("Invalid bootstrap server " + server + ": not host:port");
            }
            // Bootstrap servers get negative ids until metadata names the brokers.
            bootstrap[i] = -(i + 1);
            client.setNode(bootstrap[i], server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
        }
        this.network = new ConsumerNetwork(client);
        this.metadata = new ConsumerMetadata(client, bootstrap, config.metadataMaxAgeMs, config.allowAutoCreateTopics);
        this.subscriptions = new SubscriptionState(config.autoOffsetReset);
        this.fetcher = new Fetcher<>(config, metadata, subscriptions, network, new ClientCodecs(plugins, config.values()),
                keys, values, metrics);
        this.offsetFetcher = new OffsetFetcher(metadata, subscriptions, network, config.readCommitted, config.retryBackoffMs);
        this.positionValidator = new PositionValidator(metadata, subscriptions, network);
        if (config.groupId != null) {
            // A JoinGroup is held for up to the rebalance timeout: the group's connection waits longer.
            this.groupClient = new NetworkClient(base.withRequestTimeoutMs(
                    Math.max(config.requestTimeoutMs, config.maxPollIntervalMs + 5_000L)));
            this.coordinator = new GroupCoordinatorClient(config.groupId, metadata, network, groupClient);
            this.membership = new GroupMembership(config, coordinator, metadata, subscriptions, network, assignors,
                    metrics, this::beforeRebalance);
            this.committer = new OffsetCommitter(config, coordinator, membership, network, interceptors, metrics);
        } else {
            this.groupClient = null;
            this.coordinator = null;
            this.membership = null;
            this.committer = null;
        }
        this.nextAutoCommitMs = System.currentTimeMillis() + config.autoCommitIntervalMs;
    }

    public SubscriptionState subscriptions() {
        return subscriptions;
    }

    public ConsumerNetwork network() {
        return network;
    }

    public OffsetCommitter committer() {
        return committer;
    }

    public OffsetFetcher offsetFetcher() {
        return offsetFetcher;
    }

    public ConsumerGroupMetadata groupMetadata() {
        return membership.groupMetadata();
    }

    public Map<String, Double> metrics() {
        long lagMax = -1;
        for (TopicPartition tp : subscriptions.assignedList()) {
            lagMax = Math.max(lagMax, subscriptions.lag(tp));
        }
        return metrics.snapshot(lagMax);
    }

    // ---- subscription changes

    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        subscriptions.subscribe(topics, listener);
        committer.setManualAssignment(false);
        metadata.setTopics(Set.copyOf(topics), false);
        membership.requestRejoin();
    }

    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        subscriptions.subscribe(pattern, listener);
        committer.setManualAssignment(false);
        metadata.setTopics(Set.of(), true);
        metadata.requestUpdate();
        membership.requestRejoin();
    }

    public void assign(Collection<TopicPartition> partitions) {
        if (config.enableAutoCommit && committer != null && !subscriptions.assignedPartitions().isEmpty()) {
            committer.commitAsync(subscriptions.allConsumed(), null);
        }
        subscriptions.assignFromUser(partitions);
        if (committer != null) {
            committer.setManualAssignment(true);
        }
        fetcher.clearBufferedDataForUnassigned();
        metadata.setTopics(subscriptions.topics(), false);
    }

    public void unsubscribe() {
        if (membership != null && subscriptions.hasAutoAssignment()) {
            membership.close(config.requestTimeoutMs, true);
        }
        subscriptions.unsubscribe();
        fetcher.clearBufferedDataForUnassigned();
        metadata.setTopics(Set.of(), false);
    }

    public void enforceRebalance() {
        if (membership != null && subscriptions.hasAutoAssignment()) {
            membership.requestRejoin();
        }
    }

    // ---- poll

    /** One {@code poll}: records by partition, empty if none arrived within {@code timeoutMs}. */
    public Map<TopicPartition, List<ConsumerRecord<K, V>>> poll(long timeoutMs) {
        long deadline = System.currentTimeMillis() + Math.max(0, timeoutMs);
        if (membership != null) {
            membership.pollStarted(System.currentTimeMillis());
        }
        do {
            network.maybeTriggerWakeup();
            if (committer != null) {
                committer.invokeCompletedCallbacks();
                maybeAutoCommit();
            }
            updateAssignmentMetadata(deadline);
            fetcher.processArrived();
            Map<TopicPartition, List<ConsumerRecord<K, V>>> records = fetcher.collect(config.maxPollRecords);
            // The next fetches go out before the records are handed over, so they arrive meanwhile.
            fetcher.sendFetches();
            if (!records.isEmpty()) {
                return records;
            }
            long waitMs = Math.min(remaining(deadline), config.retryBackoffMs);
            int metadataVersion = metadata.version();
            network.await(waitMs, () -> fetcher.hasAvailableFetches()
                    || (membership != null && membership.needsJoin() && subscriptions.hasAutoAssignment())
                    || metadata.version() != metadataVersion);
        } while (remaining(deadline) > 0);
        return Map.of();
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.currentTimeMillis());
    }

    private void maybeAutoCommit() {
        long now = System.currentTimeMillis();
        if (config.enableAutoCommit && now >= nextAutoCommitMs) {
            nextAutoCommitMs = now + config.autoCommitIntervalMs;
            if (subscriptions.isUserAssigned() || membership.isStable()) {
                committer.commitAsync(subscriptions.allConsumed(), null);
            }
        }
    }

    /** Before a rebalance: commit what was consumed, under auto-commit. */
    private void beforeRebalance() {
        if (config.enableAutoCommit && !subscriptions.assignedPartitions().isEmpty()) {
            try {
                committer.commitSync(subscriptions.allConsumed(), config.requestTimeoutMs);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Auto-commit before the rebalance failed: " + e.getMessage());
            }
        }
    }

    private void updateAssignmentMetadata(long deadline) {
        Set<String> topics = new HashSet<>(subscriptions.topics());
        metadata.setTopics(subscriptions.pattern() != null ? Set.of() : topics, subscriptions.pattern() != null);
        metadata.maybeUpdate(network, System.currentTimeMillis());
        if (subscriptions.pattern() != null) {
            Set<String> matched = new HashSet<>();
            ConsumerMetadata.Snapshot md = metadata.snapshot();
            for (String topic : md.topics().keySet()) {
                if (subscriptions.pattern().matcher(topic).matches()
                        && !(config.excludeInternalTopics && md.internal().getOrDefault(topic, false))) {
                    matched.add(topic);
                }
            }
            if (metadata.version() > 0 && subscriptions.matchedTopics(matched)) {
                membership.requestRejoin();
            }
        }
        if (membership != null && subscriptions.hasAutoAssignment()) {
            boolean unassigned = subscriptions.assignedPartitions().isEmpty();
            membership.ensureActiveGroup(unassigned ? remaining(deadline) : 0);
        }
        updateFetchPositions(remaining(deadline));
    }

    /** Gives each assigned partition without a position its committed offset, else a reset. */
    private void updateFetchPositions(long timeoutMs) {
        offsetFetcher.applyArrivedResets();
        Set<TopicPartition> missing = subscriptions.missingPositions();
        if (!missing.isEmpty()) {
            if (committer != null) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = committer.fetchCommitted(List.copyOf(missing),
                            Math.min(timeoutMs, config.requestTimeoutMs));
                    for (TopicPartition tp : missing) {
                        OffsetAndMetadata o = committed.get(tp);
                        if (!subscriptions.isAssigned(tp) || subscriptions.hasPosition(tp)) {
                            continue;
                        }
                        if (o != null) {
                            subscriptions.seek(tp, o.offset(), o.leaderEpoch());
                        } else {
                            subscriptions.requestReset(tp, subscriptions.defaultReset());
                        }
                    }
                } catch (TimeoutException e) {
                    return;
                }
            } else {
                missing.forEach(tp -> subscriptions.requestReset(tp, subscriptions.defaultReset()));
            }
        }
        offsetFetcher.resetPositionsIfNeeded();
        positionValidator.applyArrived();
        positionValidator.validateIfNeeded();
    }

    public long position(TopicPartition tp, long timeoutMs) {
        if (!subscriptions.isAssigned(tp)) {
            throw new IllegalStateException("You can only check the position for partitions assigned to this consumer.");
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!subscriptions.hasPosition(tp)) {
            metadata.maybeUpdate(network, System.currentTimeMillis());
            updateFetchPositions(remaining(deadline));
            if (subscriptions.hasPosition(tp)) {
                break;
            }
            if (remaining(deadline) <= 0) {
                throw new TimeoutException("Timeout of " + timeoutMs + " ms expired before the position for partition "
                        + tp + " could be determined");
            }
            network.await(Math.min(remaining(deadline), config.retryBackoffMs), () -> false);
        }
        return subscriptions.position(tp);
    }

    public List<PartitionInfo> partitionsFor(String topic, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Set<String> wanted = new HashSet<>(metadata.wantedTopics());
        wanted.add(topic);
        metadata.setTopics(wanted, subscriptions.pattern() != null);
        while (metadata.snapshot().partitionCount(topic) < 0) {
            metadata.requestUpdate();
            metadata.maybeUpdate(network, System.currentTimeMillis());
            int version = metadata.version();
            network.await(remaining(deadline), () -> metadata.version() != version);
            if (metadata.snapshot().topicErrors().containsKey(topic) || remaining(deadline) <= 0) {
                break;
            }
        }
        return metadata.cluster().partitionsForTopic(topic);
    }

    // ---- close

    public void close(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try {
            if (committer != null) {
                if (config.enableAutoCommit && !subscriptions.assignedPartitions().isEmpty()
                        && (subscriptions.isUserAssigned() || membership.isStable())) {
                    try {
                        committer.commitSync(subscriptions.allConsumed(), remaining(deadline));
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.WARNING, "Auto-commit on close failed: " + e.getMessage());
                    }
                }
                committer.awaitAsyncCommits(remaining(deadline));
            }
            if (membership != null) {
                membership.close(remaining(deadline), subscriptions.hasAutoAssignment());
            }
        } finally {
            client.close(Duration.ofMillis(Math.max(1, remaining(deadline))));
            if (groupClient != null) {
                groupClient.close(Duration.ofMillis(Math.max(1, remaining(deadline))));
            }
        }
    }
}
