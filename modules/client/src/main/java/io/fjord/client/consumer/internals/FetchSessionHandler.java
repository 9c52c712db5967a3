package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.FetchRequest;
import io.fjord.protocol.message.FetchResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The client's half of an incremental fetch session (KIP-227) with one broker. The first request
 * is full (session 0, epoch 0); once the broker answers with a session id, later requests carry
 * only the partitions added or changed since the previous one and a forgotten list, under the
 * next epoch. Any session error, a failed request, or a broker that answers session 0 (no
 * sessions) makes the next request full again.
 *
 * <p>Invariant: {@link #session} is exactly what the broker holds for this session after the
 * last request it answered without error; {@link #nextEpoch} is 0 whenever no session is open.
 * Used from the application's thread only.
 */
final class FetchSessionHandler {

    static final int INITIAL_EPOCH = 0;
    /** A request that neither opens nor uses a session. */
    static final int SESSIONLESS_EPOCH = -1;

    /** What the broker keeps per partition: its topic's id (zero if unknown) and the fetch fields. */
    record PartitionData(UUID topicId, long fetchOffset, int currentLeaderEpoch, long logStartOffset, int maxBytes) {
    }

    /** A request to send and the partitions its response answers for. */
    record Built(FetchRequest request, Map<TopicPartition, PartitionData> sessionPartitions, boolean full,
                 int sentPartitions) {
    }

    private final int node;
    private int sessionId;
    private int nextEpoch = INITIAL_EPOCH;
    private Map<TopicPartition, PartitionData> session = new LinkedHashMap<>();
    private Map<TopicPartition, PartitionData> pending;
    private long fullRequests;
    private long incrementalRequests;

    FetchSessionHandler(int node) {
        this.node = node;
    }

    int node() {
        return node;
    }

    int sessionId() {
        return sessionId;
    }

    long fullRequests() {
        return fullRequests;
    }

    long incrementalRequests() {
        return incrementalRequests;
    }

    /**
     * The request for these partitions, in this order.
     *
     * @param wanted the partitions to fetch and their data; a partition of the session left out
     *     (paused, or two fetches of it buffered) is forgotten, so the broker does not send its
     *     records again while the application still holds them
     * @param sessions whether the broker takes fetch sessions (Fetch v7+)
     */
    Built build(Map<TopicPartition, PartitionData> wanted, boolean sessions, FetchRequest request) {
        Map<TopicPartition, PartitionData> next = new LinkedHashMap<>(wanted);
        if (!sessions) {
            request.setSessionId(0).setSessionEpoch(SESSIONLESS_EPOCH);
            addTopics(request, next);
            fullRequests++;
            pending = next;
            return new Built(request, next, true, next.size());
        }
        if (nextEpoch == INITIAL_EPOCH) {
            request.setSessionId(0).setSessionEpoch(INITIAL_EPOCH);
            addTopics(request, next);
            fullRequests++;
            pending = next;
            return new Built(request, next, true, next.size());
        }
        Map<TopicPartition, PartitionData> changed = new LinkedHashMap<>();
        next.forEach((tp, data) -> {
            if (!data.equals(session.get(tp))) {
                changed.put(tp, data);
            }
        });
        Map<String, FetchRequest.ForgottenTopic> forgotten = new LinkedHashMap<>();
        session.forEach((tp, data) -> {
            if (!next.containsKey(tp)) {
                forgotten.computeIfAbsent(tp.topic(), t -> new FetchRequest.ForgottenTopic().setTopic(t)
                        .setTopicId(data.topicId()).setPartitions(new ArrayList<>())).partitions().add(tp.partition());
            }
        });
        request.setSessionId(sessionId).setSessionEpoch(nextEpoch);
        addTopics(request, changed);
        request.forgottenTopicsData().addAll(forgotten.values());
        incrementalRequests++;
        pending = next;
        return new Built(request, next, false, changed.size());
    }

    private static void addTopics(FetchRequest request, Map<TopicPartition, PartitionData> partitions) {
        Map<String, FetchRequest.FetchTopic> byTopic = new LinkedHashMap<>();
        partitions.forEach((tp, data) -> byTopic.computeIfAbsent(tp.topic(), t -> {
            FetchRequest.FetchTopic topic = new FetchRequest.FetchTopic().setTopic(t).setTopicId(data.topicId());
            request.topics().add(topic);
            return topic;
        }).partitions().add(new FetchRequest.FetchPartition().setPartition(tp.partition())
                .setFetchOffset(data.fetchOffset()).setCurrentLeaderEpoch(data.currentLeaderEpoch())
                .setLogStartOffset(data.logStartOffset()).setPartitionMaxBytes(data.maxBytes())));
    }

    /** Takes in the broker's answer to the last built request; returns whether the response is usable. */
    boolean handleResponse(FetchResponse response) {
        Errors error = Errors.forCode(response.errorCode());
        if (error != Errors.NONE) {
            close();
            return false;
        }
        session = pending == null ? new LinkedHashMap<>() : pending;
        pending = null;
        if (response.sessionId() == 0) {
            sessionId = 0;
            nextEpoch = INITIAL_EPOCH;
        } else {
            sessionId = response.sessionId();
            nextEpoch = nextEpoch == Integer.MAX_VALUE ? 1 : nextEpoch + 1;
        }
        return true;
    }

    /** The request failed or the session is gone: the next request is full. */
    void close() {
        sessionId = 0;
        nextEpoch = INITIAL_EPOCH;
        session = new LinkedHashMap<>();
        pending = null;
    }
}
