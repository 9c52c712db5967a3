package io.fjord.client.consumer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.client.consumer.ConsumerConfig.OffsetReset;
import io.fjord.client.consumer.LogTruncationException;
import io.fjord.client.network.NodeApiVersions;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.OffsetForLeaderEpochRequest;
import io.fjord.protocol.message.OffsetForLeaderEpochResponse;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * KIP-320: a position that carries the epoch of its last record is checked against a new leader's
 * log before fetching resumes. OffsetForLeaderEpoch asks the leader where that epoch ends in its
 * log; an end below the position means records the consumer read were truncated away (an unclean
 * election). The position then moves back to that end when {@code auto.offset.reset} allows
 * resets, and {@code poll} throws {@link LogTruncationException} when it is {@code none}. As
 * Kafka's consumer: positions without an epoch, and brokers without OffsetForLeaderEpoch v3, are
 * not checked.
 *
 * <p>Requests go out and answers are queued by the I/O thread; everything else runs on the
 * application's thread, from {@code poll}.
 */
final class PositionValidator {

    private static final System.Logger LOG = System.getLogger(PositionValidator.class.getName());
    /** The first version a consumer may send (it carries the replica id, -1 for a consumer). */
    private static final short FIRST_CONSUMER_VERSION = 3;

    /** What one partition was checked at: its position and epoch, and the leader epoch asked under. */
    private record Asked(long position, int epoch, int leaderEpoch) {
    }

    /** One answer: per partition the epoch and end offset found, or the error; null {@code ends} if the request failed. */
    private record Answer(Map<TopicPartition, Asked> asked, Map<TopicPartition, Object> ends) {
    }

    /** An epoch's end in the leader's log. */
    private record EpochEnd(int epoch, long endOffset) {
    }

    private final ConsumerMetadata metadata;
    private final SubscriptionState subscriptions;
    private final ConsumerNetwork network;
    private final ConcurrentLinkedQueue<Answer> arrived = new ConcurrentLinkedQueue<>();
    private LogTruncationException pendingFailure;

    PositionValidator(ConsumerMetadata metadata, SubscriptionState subscriptions, ConsumerNetwork network) {
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.network = network;
    }

    /** Sends OffsetForLeaderEpoch for every position the current leaders have not vouched for yet. */
    void validateIfNeeded() {
        ConsumerMetadata.Snapshot md = metadata.snapshot();
        Map<Integer, Map<TopicPartition, Asked>> byNode = new LinkedHashMap<>();
        for (TopicPartition tp : subscriptions.assignedList()) {
            ConsumerMetadata.Leader leader = md.leader(tp);
            if (leader.nodeId() < 0 || !subscriptions.needsValidation(tp, leader.epoch())) {
                continue;
            }
            Optional<NodeApiVersions> versions = network.client().apiVersions(leader.nodeId());
            if (versions.isEmpty()) {
                network.client().connect(leader.nodeId());
                continue;
            }
            if (versions.get().maxVersion(ApiKeys.OFFSET_FOR_LEADER_EPOCH) < FIRST_CONSUMER_VERSION) {
                subscriptions.validated(tp, leader.epoch());
                continue;
            }
            subscriptions.awaitValidation(tp);
            byNode.computeIfAbsent(leader.nodeId(), n -> new LinkedHashMap<>()).put(tp,
                    new Asked(subscriptions.position(tp), subscriptions.lastEpoch(tp).orElseThrow(), leader.epoch()));
        }
        byNode.forEach(this::send);
    }

    private void send(int node, Map<TopicPartition, Asked> partitions) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Validating positions against the log of node " + node + ": "
                + partitions);
        OffsetForLeaderEpochRequest request = new OffsetForLeaderEpochRequest().setReplicaId(-1);
        Map<String, OffsetForLeaderEpochRequest.OffsetForLeaderTopic> topics = new LinkedHashMap<>();
        partitions.forEach((tp, asked) -> topics.computeIfAbsent(tp.topic(), t -> {
            OffsetForLeaderEpochRequest.OffsetForLeaderTopic topic = new OffsetForLeaderEpochRequest.OffsetForLeaderTopic()
                    .setTopic(t);
            request.topics().add(topic);
            return topic;
        }).partitions().add(new OffsetForLeaderEpochRequest.OffsetForLeaderPartition().setPartition(tp.partition())
                .setCurrentLeaderEpoch(asked.leaderEpoch()).setLeaderEpoch(asked.epoch())));
        network.send(node, request, OffsetForLeaderEpochResponse.class).whenComplete((response, error) -> {
            Map<TopicPartition, Object> ends = null;
            if (error == null) {
                ends = new HashMap<>();
                for (OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult topic : response.topics()) {
                    for (OffsetForLeaderEpochResponse.EpochEndOffset p : topic.partitions()) {
                        Errors e = Errors.forCode(p.errorCode());
                        ends.put(new TopicPartition(topic.topic(), p.partition()),
                                e == Errors.NONE ? new EpochEnd(p.leaderEpoch(), p.endOffset()) : e);
                    }
                }
            }
            arrived.add(new Answer(partitions, ends));
        });
    }

    /**
     * Applies the answers that arrived: positions confirmed, moved back to a truncation point, or
     * left for a new try after a metadata update.
     *
     * @throws LogTruncationException once, for truncations found under {@code auto.offset.reset=none}
     */
    void applyArrived() {
        Answer answer;
        while ((answer = arrived.poll()) != null) {
            Map<TopicPartition, Object> ends = answer.ends();
            answer.asked().forEach((tp, asked) -> {
                if (!subscriptions.awaitingValidation(tp) || subscriptions.position(tp) != asked.position()) {
                    return; // reassigned, reset or sought meanwhile
                }
                Object end = ends == null ? Errors.NETWORK_EXCEPTION : ends.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
                if (end instanceof EpochEnd epochEnd) {
                    apply(tp, asked, epochEnd);
                } else {
                    LOG.log(System.Logger.Level.DEBUG, () -> "Validating the position of " + tp + " failed with "
                            + ((Errors) end).name() + "; trying again after a metadata update");
                    subscriptions.validationFailed(tp);
                    metadata.requestUpdate();
                }
            });
        }
        if (pendingFailure != null) {
            LogTruncationException failure = pendingFailure;
            pendingFailure = null;
            throw failure;
        }
    }

    private void apply(TopicPartition tp, Asked asked, EpochEnd end) {
        if (end.endOffset() >= 0 && end.epoch() >= 0 && end.endOffset() >= asked.position()) {
            subscriptions.validated(tp, asked.leaderEpoch());
            return;
        }
        OffsetReset reset = subscriptions.defaultReset();
        if (end.endOffset() < 0 || end.epoch() < 0) {
            // The leader knows no epoch at or below the position's: where it diverged is unknown.
            LOG.log(System.Logger.Level.INFO, "Truncation detected for " + tp + " at offset " + asked.position()
                    + ": the leader knows no epoch at or below " + asked.epoch() + "; resetting by auto.offset.reset");
            if (reset == OffsetReset.NONE) {
                fail(tp, new OffsetAndMetadata(asked.position(), Optional.empty(), ""));
            } else {
                subscriptions.requestReset(tp, reset);
            }
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Truncation detected for " + tp + " at offset " + asked.position()
                + " (epoch " + asked.epoch() + "): the leader's log ends that epoch at " + end.endOffset()
                + (reset == OffsetReset.NONE ? "" : "; the position moves back to it"));
        if (reset == OffsetReset.NONE) {
            fail(tp, new OffsetAndMetadata(end.endOffset(), Optional.of(end.epoch()), ""));
        } else {
            subscriptions.seekValidated(tp, end.endOffset(), Optional.of(end.epoch()), asked.leaderEpoch());
        }
    }

    /** The partition stays unfetched (awaiting validation) until the application seeks. */
    private void fail(TopicPartition tp, OffsetAndMetadata divergent) {
        Map<TopicPartition, OffsetAndMetadata> divergentOffsets = new HashMap<>();
        if (pendingFailure != null) {
            divergentOffsets.putAll(pendingFailure.divergentOffsets());
        }
        divergentOffsets.put(tp, divergent);
        pendingFailure = new LogTruncationException(divergentOffsets, "Truncated partitions detected with "
                + "auto.offset.reset none: " + divergentOffsets);
    }
}
