package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.client.consumer.ConsumerConfig.OffsetReset;
import io.fjord.client.consumer.NoOffsetForPartitionException;
import io.fjord.client.errors.ClientException;
import io.fjord.client.errors.TimeoutException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ListOffsetsRequest;
import io.fjord.protocol.message.ListOffsetsResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Offsets by time through ListOffsets, sent to each partition's leader: the resets of {@code
 * auto.offset.reset} and {@code seekToBeginning/End} (asynchronous, applied on a later poll) and
 * the blocking {@code beginningOffsets}, {@code endOffsets} and {@code offsetsForTimes}.
 */
public final class OffsetFetcher {

    public static final long EARLIEST = -2L;
    public static final long LATEST = -1L;

    /** One partition's answer: the offset (-1 if none), its timestamp and leader epoch. */
    public record ListedOffset(long offset, long timestamp, Optional<Integer> leaderEpoch) {
    }

    private final ConsumerMetadata metadata;
    private final SubscriptionState subscriptions;
    private final ConsumerNetwork network;
    private final boolean readCommitted;
    private final long retryBackoffMs;
    private final Set<TopicPartition> resetsInFlight = new HashSet<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<ResetAnswer> arrivedResets =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    public OffsetFetcher(ConsumerMetadata metadata, SubscriptionState subscriptions, ConsumerNetwork network,
                         boolean readCommitted, long retryBackoffMs) {
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.network = network;
        this.readCommitted = readCommitted;
        this.retryBackoffMs = retryBackoffMs;
    }

    /**
     * Sends ListOffsets for partitions awaiting a reset that have none in flight; answers already in
     * are applied to the positions of partitions still awaiting that reset.
     *
     * @throws NoOffsetForPartitionException if a partition needs a reset and the policy is none
     */
    public void resetPositionsIfNeeded() {
        Map<TopicPartition, OffsetReset> pending = subscriptions.pendingResets();
        Set<TopicPartition> none = new HashSet<>();
        Map<TopicPartition, Long> wanted = new LinkedHashMap<>();
        pending.forEach((tp, reset) -> {
            if (reset == OffsetReset.NONE) {
                none.add(tp);
            } else if (!resetsInFlight.contains(tp)) {
                wanted.put(tp, reset == OffsetReset.EARLIEST ? EARLIEST : LATEST);
            }
        });
        if (!none.isEmpty()) {
            throw new NoOffsetForPartitionException(Errors.OFFSET_OUT_OF_RANGE, none,
                    "No committed offset and auto.offset.reset is none for " + none);
        }
        if (wanted.isEmpty()) {
            return;
        }
        groupByLeader(wanted).forEach((node, partitions) -> {
            resetsInFlight.addAll(partitions.keySet());
            send(node, partitions).whenComplete((result, error) -> arrivedResets.add(new ResetAnswer(partitions, result)));
        });
    }

    /** The answer to one reset request: null {@code result} if the request failed. */
    private record ResetAnswer(Map<TopicPartition, Long> asked, Map<TopicPartition, Object> result) {
    }

    /** Applies reset answers that arrived; called on the application's thread. */
    public void applyArrivedResets() {
        ResetAnswer answer;
        while ((answer = arrivedResets.poll()) != null) {
            resetsInFlight.removeAll(answer.asked().keySet());
            if (answer.result() == null) {
                metadata.requestUpdate();
                continue;
            }
            answer.result().forEach((tp, listed) -> {
                if (!subscriptions.isAssigned(tp) || !subscriptions.pendingResets().containsKey(tp)) {
                    return;
                }
                if (listed instanceof ListedOffset offset && offset.offset() >= 0) {
                    // The leader itself gave this offset: nothing to validate under its epoch.
                    subscriptions.seekValidated(tp, offset.offset(), offset.leaderEpoch(),
                            metadata.snapshot().leader(tp).epoch());
                } else {
                    metadata.requestUpdate();
                }
            });
        }
    }

    /**
     * The offset for each partition's timestamp (or {@link #EARLIEST}/{@link #LATEST}), retrying
     * retriable errors until {@code timeoutMs}.
     */
    @SuppressWarnings("unchecked")
    public Map<TopicPartition, ListedOffset> listOffsets(Map<TopicPartition, Long> timestamps, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Map<TopicPartition, ListedOffset> out = new HashMap<>();
        Map<TopicPartition, Long> remaining = new LinkedHashMap<>(timestamps);
        ClientException lastError = null;
        while (!remaining.isEmpty()) {
            Set<String> topics = new HashSet<>(metadata.wantedTopics());
            remaining.keySet().forEach(tp -> topics.add(tp.topic()));
            metadata.setTopics(topics, false);
            Map<Integer, Map<TopicPartition, Long>> byNode = groupByLeader(remaining);
            List<CompletableFuture<Map<TopicPartition, Object>>> futures = new ArrayList<>();
            byNode.forEach((node, partitions) -> futures.add(send(node, partitions)));
            if (byNode.isEmpty()) {
                metadata.requestUpdate();
                metadata.maybeUpdate(network, System.currentTimeMillis());
                int version = metadata.version();
                network.await(Math.min(retryBackoffMs * 5, Math.max(0, deadline - System.currentTimeMillis())),
                        () -> metadata.version() != version);
            }
            for (CompletableFuture<Map<TopicPartition, Object>> f : futures) {
                network.await(Math.max(0, deadline - System.currentTimeMillis()), f);
                if (!f.isDone() || f.isCompletedExceptionally()) {
                    continue;
                }
                f.join().forEach((tp, answer) -> {
                    if (answer instanceof ListedOffset listed) {
                        out.put(tp, listed);
                        remaining.remove(tp);
                    }
                });
            }
            for (CompletableFuture<Map<TopicPartition, Object>> f : futures) {
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    for (Object answer : f.join().values()) {
                        if (answer instanceof Errors error) {
                            if (!error.retriable()) {
                                throw ClientException.of(error, "ListOffsets failed: " + error.name());
                            }
                            lastError = ClientException.of(error, null);
                            metadata.requestUpdate();
                        }
                    }
                }
            }
            if (!remaining.isEmpty()) {
                if (System.currentTimeMillis() >= deadline) {
                    throw new TimeoutException("Failed to get offsets by times in " + timeoutMs + " ms"
                            + (lastError == null ? "" : ": " + lastError.getMessage()));
                }
                metadata.maybeUpdate(network, System.currentTimeMillis());
                network.await(retryBackoffMs, () -> false);
            }
        }
        return out;
    }

    private Map<Integer, Map<TopicPartition, Long>> groupByLeader(Map<TopicPartition, Long> partitions) {
        ConsumerMetadata.Snapshot md = metadata.snapshot();
        Map<Integer, Map<TopicPartition, Long>> byNode = new LinkedHashMap<>();
        partitions.forEach((tp, ts) -> {
            int leader = md.leader(tp).nodeId();
            if (leader < 0) {
                metadata.requestUpdate();
            } else {
                byNode.computeIfAbsent(leader, n -> new LinkedHashMap<>()).put(tp, ts);
            }
        });
        return byNode;
    }

    /** One ListOffsets; the future maps each partition to a {@link ListedOffset} or its {@link Errors}. */
    private CompletableFuture<Map<TopicPartition, Object>> send(int node, Map<TopicPartition, Long> partitions) {
        ListOffsetsRequest request = new ListOffsetsRequest().setReplicaId(-1)
                .setIsolationLevel((byte) (readCommitted ? 1 : 0));
        Map<String, ListOffsetsRequest.ListOffsetsTopic> topics = new LinkedHashMap<>();
        ConsumerMetadata.Snapshot md = metadata.snapshot();
        partitions.forEach((tp, ts) -> topics.computeIfAbsent(tp.topic(), t -> {
            ListOffsetsRequest.ListOffsetsTopic topic = new ListOffsetsRequest.ListOffsetsTopic().setName(t);
            request.topics().add(topic);
            return topic;
        }).partitions().add(new ListOffsetsRequest.ListOffsetsPartition().setPartitionIndex(tp.partition())
                .setTimestamp(ts).setCurrentLeaderEpoch(md.leader(tp).epoch())));
        return network.send(node, request, ListOffsetsResponse.class).thenApply(response -> {
            Map<TopicPartition, Object> out = new HashMap<>();
            for (ListOffsetsResponse.ListOffsetsTopicResponse topic : response.topics()) {
                for (ListOffsetsResponse.ListOffsetsPartitionResponse p : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(topic.name(), p.partitionIndex());
                    Errors error = Errors.forCode(p.errorCode());
                    out.put(tp, error == Errors.NONE ? new ListedOffset(p.offset(), p.timestamp(),
                            p.leaderEpoch() >= 0 ? Optional.of(p.leaderEpoch()) : Optional.empty()) : error);
                }
            }
            return out;
        });
    }
}
