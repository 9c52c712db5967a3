package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.ConsumerGroupMetadata;
import io.fjord.api.consumer.ConsumerInterceptor;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.client.consumer.CommitFailedException;
import io.fjord.client.consumer.ConsumerConfig;
import io.fjord.client.consumer.OffsetCommitCallback;
import io.fjord.client.consumer.RebalanceInProgressException;
import io.fjord.client.errors.ClientException;
import io.fjord.client.errors.TimeoutException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.OffsetCommitRequest;
import io.fjord.protocol.message.OffsetCommitResponse;
import io.fjord.protocol.message.OffsetFetchRequest;
import io.fjord.protocol.message.OffsetFetchResponse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The group's committed offsets: OffsetCommit (synchronous with retries until its timeout, or
 * asynchronous with callbacks run in commit order on the application's thread) and OffsetFetch.
 * A commit of a member whose generation is over fails with {@link CommitFailedException}.
 *
 * <p>Invariant: {@link #asyncCommits} holds the asynchronous commits in the order they were made;
 * callbacks run from its head only, so they run in that order even if responses arrive out of it.
 */
public final class OffsetCommitter {

    /** An asynchronous commit and what to call with its outcome. */
    private record AsyncCommit(Map<TopicPartition, OffsetAndMetadata> offsets, CompletableFuture<Errors> outcome,
                               OffsetCommitCallback callback) {
    }

    private final ConsumerConfig config;
    private final GroupCoordinatorClient coordinator;
    private final GroupMembership membership;
    private final ConsumerNetwork network;
    private final List<? extends ConsumerInterceptor<?, ?>> interceptors;
    private final ConsumerMetrics metrics;
    private final ArrayDeque<AsyncCommit> asyncCommits = new ArrayDeque<>();
    private boolean manualAssignment;

    public OffsetCommitter(ConsumerConfig config, GroupCoordinatorClient coordinator, GroupMembership membership,
                           ConsumerNetwork network, List<? extends ConsumerInterceptor<?, ?>> interceptors,
                           ConsumerMetrics metrics) {
        this.config = config;
        this.coordinator = coordinator;
        this.membership = membership;
        this.network = network;
        this.interceptors = interceptors;
        this.metrics = metrics;
    }

    /** Commits asynchronously; the callback runs in a later call on the application's thread. */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
        CompletableFuture<Errors> outcome;
        if (copy.isEmpty()) {
            outcome = CompletableFuture.completedFuture(Errors.NONE);
        } else if (!coordinator.known()) {
            coordinator.lookupIfNeeded();
            outcome = CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
        } else {
            outcome = send(copy);
        }
        asyncCommits.add(new AsyncCommit(copy, outcome, callback));
    }

    /** Runs the callbacks of finished asynchronous commits, oldest first, stopping at one not finished. */
    public void invokeCompletedCallbacks() {
        while (!asyncCommits.isEmpty() && asyncCommits.peekFirst().outcome().isDone()) {
            AsyncCommit commit = asyncCommits.pollFirst();
            Errors error = commit.outcome().join();
            Exception exception = error == Errors.NONE ? null : failure(error, commit.offsets());
            if (error == Errors.NONE) {
                onCommitted(commit.offsets());
            }
            if (commit.callback() != null) {
                commit.callback().onComplete(commit.offsets(), exception);
            } else if (exception != null) {
                System.getLogger(OffsetCommitter.class.getName()).log(System.Logger.Level.WARNING,
                        "Asynchronous commit of " + commit.offsets().keySet() + " failed: " + exception.getMessage());
            }
        }
    }

    /** Waits at most {@code timeoutMs} for asynchronous commits to finish, running their callbacks. */
    public void awaitAsyncCommits(long timeoutMs) {
        network.await(timeoutMs, () -> asyncCommits.stream().allMatch(c -> c.outcome().isDone()));
        invokeCompletedCallbacks();
    }

    /**
     * Commits and waits, retrying retriable errors until {@code timeoutMs}.
     *
     * @throws CommitFailedException if the member's generation is over
     * @throws TimeoutException if the commit did not succeed in time
     */
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        awaitAsyncCommits(timeoutMs);
        if (offsets.isEmpty()) {
            return;
        }
        Errors last = Errors.NONE;
        while (true) {
            if (!coordinator.known()) {
                coordinator.lookupIfNeeded();
                network.await(remaining(deadline), coordinator::lookupDone);
                coordinator.lookupIfNeeded();
            }
            if (coordinator.known()) {
                CompletableFuture<Errors> outcome = send(offsets);
                network.await(remaining(deadline), outcome);
                if (outcome.isDone()) {
                    last = outcome.join();
                    if (last == Errors.NONE) {
                        onCommitted(offsets);
                        return;
                    }
                    if (!last.retriable()) {
                        throw failure(last, offsets);
                    }
                }
            }
            if (remaining(deadline) <= 0) {
                throw new TimeoutException("Timeout of " + timeoutMs + " ms expired before offsets of "
                        + offsets.keySet() + " could be committed" + (last == Errors.NONE ? "" : ": " + last.name()));
            }
            network.await(Math.min(config.retryBackoffMs, remaining(deadline)), () -> false);
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.currentTimeMillis());
    }

    private ClientException failure(Errors error, Map<TopicPartition, OffsetAndMetadata> offsets) {
        return switch (error) {
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID -> new CommitFailedException(error,
                    "Commit cannot be completed since the group has already rebalanced and assigned the "
                            + "partitions to another member (" + error.name() + "): the time between polls may exceed "
                            + "max.poll.interval.ms, or a rebalance completed without this member");
            case REBALANCE_IN_PROGRESS -> new RebalanceInProgressException("Commit cannot be completed: the group "
                    + "is rebalancing; poll again to finish the rebalance, then commit");
            default -> ClientException.of(error, "Commit of " + offsets.keySet() + " failed: " + error.name());
        };
    }

    private void onCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        metrics.commitDone();
        for (ConsumerInterceptor<?, ?> interceptor : interceptors) {
            try {
                interceptor.onCommit(offsets);
            } catch (RuntimeException e) {
                System.getLogger(OffsetCommitter.class.getName()).log(System.Logger.Level.WARNING,
                        "Interceptor " + interceptor.name() + " failed in onCommit", e);
            }
        }
    }

    /** One OffsetCommit; completes with the first partition error, or NONE. */
    private CompletableFuture<Errors> send(Map<TopicPartition, OffsetAndMetadata> offsets) {
        int generation = -1;
        String memberId = "";
        if (membership != null && config.groupId != null && !manualAssignment) {
            Optional<ConsumerGroupMetadata> stable = membership.stableGeneration();
            if (stable.isEmpty()) {
                // Mid-rebalance the commit may be retried after it; outside one the generation is over.
                return CompletableFuture.completedFuture(membership.rebalanceInProgress()
                        ? Errors.REBALANCE_IN_PROGRESS : Errors.UNKNOWN_MEMBER_ID);
            }
            generation = stable.get().generationId();
            memberId = stable.get().memberId();
        }
        OffsetCommitRequest request = new OffsetCommitRequest().setGroupId(config.groupId)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setGroupInstanceId(generation >= 0 ? config.groupInstanceId : null).setRetentionTimeMs(-1);
        Map<String, OffsetCommitRequest.OffsetCommitRequestTopic> topics = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> topics.computeIfAbsent(tp.topic(), t -> {
            OffsetCommitRequest.OffsetCommitRequestTopic topic = new OffsetCommitRequest.OffsetCommitRequestTopic().setName(t);
            request.topics().add(topic);
            return topic;
        }).partitions().add(new OffsetCommitRequest.OffsetCommitRequestPartition().setPartitionIndex(tp.partition())
                .setCommittedOffset(o.offset()).setCommittedLeaderEpoch(o.leaderEpoch().orElse(-1))
                .setCommittedMetadata(o.metadata())));
        return coordinator.send(request, OffsetCommitResponse.class).handle((response, error) -> {
            if (error != null) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            for (OffsetCommitResponse.OffsetCommitResponseTopic topic : response.topics()) {
                for (OffsetCommitResponse.OffsetCommitResponsePartition p : topic.partitions()) {
                    Errors e = Errors.forCode(p.errorCode());
                    if (e != Errors.NONE) {
                        if (GroupCoordinatorClient.movedError(e)) {
                            coordinator.markUnknown();
                        }
                        return e;
                    }
                }
            }
            return Errors.NONE;
        });
    }

    /** Commits of a consumer without group management go with generation -1, as Kafka's do. */
    public void setManualAssignment(boolean manual) {
        this.manualAssignment = manual;
    }

    /**
     * The committed offsets of these partitions (absent for none), retrying retriable errors until
     * {@code timeoutMs}.
     */
    public Map<TopicPartition, OffsetAndMetadata> fetchCommitted(List<TopicPartition> partitions, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Errors last = Errors.NONE;
        while (true) {
            if (!coordinator.known()) {
                coordinator.lookupIfNeeded();
                network.await(remaining(deadline), coordinator::lookupDone);
                coordinator.lookupIfNeeded();
            }
            if (coordinator.known()) {
                CompletableFuture<Object> result = sendOffsetFetch(partitions);
                network.await(remaining(deadline), result);
                if (result.isDone() && !result.isCompletedExceptionally()) {
                    Object answer = result.join();
                    if (answer instanceof Map<?, ?> map) {
                        @SuppressWarnings("unchecked")
                        Map<TopicPartition, OffsetAndMetadata> offsets = (Map<TopicPartition, OffsetAndMetadata>) map;
                        return offsets;
                    }
                    last = (Errors) answer;
                    if (!last.retriable() && last != Errors.UNSTABLE_OFFSET_COMMIT) {
                        throw ClientException.of(last, "OffsetFetch failed: " + last.name());
                    }
                    if (GroupCoordinatorClient.movedError(last)) {
                        coordinator.markUnknown();
                    }
                }
            }
            if (remaining(deadline) <= 0) {
                throw new TimeoutException("Timeout of " + timeoutMs + " ms expired before the committed offsets of "
                        + partitions + " could be fetched" + (last == Errors.NONE ? "" : ": " + last.name()));
            }
            network.await(Math.min(config.retryBackoffMs, remaining(deadline)), () -> false);
        }
    }

    /** Completes with the offsets, or the first error. */
    private CompletableFuture<Object> sendOffsetFetch(List<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        OffsetFetchRequest request = new OffsetFetchRequest().setGroupId(config.groupId).setRequireStable(true);
        OffsetFetchRequest.OffsetFetchRequestGroup group = new OffsetFetchRequest.OffsetFetchRequestGroup()
                .setGroupId(config.groupId).setMemberId(null).setMemberEpoch(-1);
        List<OffsetFetchRequest.OffsetFetchRequestTopics> groupTopics = new ArrayList<>();
        byTopic.forEach((topic, ps) -> {
            request.topics().add(new OffsetFetchRequest.OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(ps));
            groupTopics.add(new OffsetFetchRequest.OffsetFetchRequestTopics().setName(topic).setPartitionIndexes(ps));
        });
        group.setTopics(groupTopics);
        request.groups().add(group);
        return coordinator.send(request, OffsetFetchResponse.class).thenApply(response -> {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            if (!response.groups().isEmpty()) {
                OffsetFetchResponse.OffsetFetchResponseGroup g = response.groups().get(0);
                if (g.errorCode() != 0) {
                    return Errors.forCode(g.errorCode());
                }
                for (OffsetFetchResponse.OffsetFetchResponseTopics t : g.topics()) {
                    for (OffsetFetchResponse.OffsetFetchResponsePartitions p : t.partitions()) {
                        if (p.errorCode() != 0) {
                            return Errors.forCode(p.errorCode());
                        }
                        if (p.committedOffset() >= 0) {
                            out.put(new TopicPartition(t.name(), p.partitionIndex()), new OffsetAndMetadata(
                                    p.committedOffset(), epoch(p.committedLeaderEpoch()), p.metadata()));
                        }
                    }
                }
                return out;
            }
            if (response.errorCode() != 0) {
                return Errors.forCode(response.errorCode());
            }
            for (OffsetFetchResponse.OffsetFetchResponseTopic t : response.topics()) {
                for (OffsetFetchResponse.OffsetFetchResponsePartition p : t.partitions()) {
                    if (p.errorCode() != 0) {
                        return Errors.forCode(p.errorCode());
                    }
                    if (p.committedOffset() >= 0) {
                        out.put(new TopicPartition(t.name(), p.partitionIndex()), new OffsetAndMetadata(
                                p.committedOffset(), epoch(p.committedLeaderEpoch()), p.metadata()));
                    }
                }
            }
            return out;
        });
    }

    private static Optional<Integer> epoch(int epoch) {
        return epoch >= 0 ? Optional.of(epoch) : Optional.empty();
    }
}
