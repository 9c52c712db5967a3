package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.TopicImage;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.FetchRequest;
import io.fjord.protocol.message.FetchResponse;
import io.fjord.replication.FetchParams;
import io.fjord.replication.FetchPartitionRequest;
import io.fjord.replication.FetchPartitionResult;
import io.fjord.replication.ReplicaManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Fetch (versions 4 to 17) for consumers and for follower brokers. Every requested partition is
 * answered, in request order, with its high watermark, last stable offset (= high watermark, no
 * transactions), log start offset, preferred read replica -1 and records that are never null:
 * whole batches as a file slice sent with sendfile. From v13 topics are named by id; an id the
 * metadata does not know is answered UNKNOWN_TOPIC_ID. A fetch with a replica id (v4-14) or a
 * ReplicaState (v15+) is a follower's: it reads up to the log end offset, and a diverging log is
 * answered with DivergingEpoch (v12+). Incremental fetch sessions (v7+, KIP-227) are the
 * {@link FetchSessionCache}'s: an incremental request fetches every partition of its session and is
 * answered with those that changed. Below {@code MinBytes} the fetch waits in the replica manager's
 * purgatory, never on this thread.
 */
final class FetchHandler implements ApiFamily {

    private static final short FIRST_TOPIC_ID_VERSION = 13;
    private static final short FIRST_REPLICA_STATE_VERSION = 15;
    private static final UUID NO_TOPIC_ID = new UUID(0L, 0L);

    private final ReplicaManager replicaManager;
    private final PartitionLookup partitions;
    private final Supplier<MetadataImage> metadata;
    private final FetchSessionCache sessions;

    FetchHandler(ReplicaManager replicaManager, PartitionLookup partitions, Supplier<MetadataImage> metadata,
                 FetchSessionCache sessions) {
        this.replicaManager = replicaManager;
        this.partitions = partitions;
        this.metadata = metadata;
        this.sessions = sessions;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.FETCH, FetchRequest.class, this::handle);
    }

    void handle(NetworkRequest request, FetchRequest body) {
        short version = request.header().apiVersion();
        boolean byId = version >= FIRST_TOPIC_ID_VERSION;
        MetadataImage image = byId ? metadata.get() : null;
        Map<FetchPartitionRequest, UUID> wanted = new LinkedHashMap<>();
        Map<String, UUID> ids = new HashMap<>();
        List<FetchResponse.FetchableTopicResponse> unknownIds = new ArrayList<>();
        for (FetchRequest.FetchTopic topic : body.topics()) {
            String name = topic.topic();
            if (byId) {
                TopicImage t = image.topic(topic.topicId());
                if (t == null) {
                    unknownIds.add(unknownTopicId(topic));
                    continue;
                }
                name = t.name();
                ids.put(name, t.id());
            }
            for (FetchRequest.FetchPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(name, p.partition());
                // Ensures the replica manager knows a partition the metadata has.
                partitions.partitionFor(tp);
                wanted.put(new FetchPartitionRequest(tp, p.fetchOffset(), Math.max(0, p.partitionMaxBytes()),
                        p.currentLeaderEpoch(), p.lastFetchedEpoch()), ids.getOrDefault(name, NO_TOPIC_ID));
            }
        }
        List<TopicPartition> forgotten = new ArrayList<>();
        for (FetchRequest.ForgottenTopic topic : body.forgottenTopicsData()) {
            TopicImage t = byId ? image.topic(topic.topicId()) : null;
            String name = byId ? (t == null ? null : t.name()) : topic.topic();
            if (name != null) {
                topic.partitions().forEach(p -> forgotten.add(new TopicPartition(name, p)));
            }
        }
        int replicaId = version >= FIRST_REPLICA_STATE_VERSION ? body.replicaState().replicaId() : body.replicaId();
        long replicaEpoch = version >= FIRST_REPLICA_STATE_VERSION ? body.replicaState().replicaEpoch() : -1L;
        FetchParams params = new FetchParams(body.maxWaitMs(), body.minBytes(), body.maxBytes(), replicaId, replicaEpoch);
        FetchSessionCache.Context session = sessions.newContext(body.sessionId(), body.sessionEpoch(), replicaId >= 0,
                byId, wanted, forgotten);
        if (session.error() != Errors.NONE) {
            Responses.send(request, new FetchResponse().setErrorCode(session.error().code()).setSessionId(0));
            return;
        }
        replicaManager.fetchMessages(params, session.toFetch(), results -> respond(request, session.select(results),
                session.topicIds(), unknownIds, session.sessionId()));
    }

    private static FetchResponse.FetchableTopicResponse unknownTopicId(FetchRequest.FetchTopic topic) {
        FetchResponse.FetchableTopicResponse answer = new FetchResponse.FetchableTopicResponse()
                .setTopicId(topic.topicId());
        for (FetchRequest.FetchPartition p : topic.partitions()) {
            answer.partitions().add(new FetchResponse.PartitionData().setPartitionIndex(p.partition())
                    .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()).setHighWatermark(-1).setLastStableOffset(-1)
                    .setLogStartOffset(-1).setPreferredReadReplica(-1));
        }
        return answer;
    }

    private static void respond(NetworkRequest request, List<FetchPartitionResult> results, Map<String, UUID> ids,
            List<FetchResponse.FetchableTopicResponse> unknownIds, int sessionId) {
        // Consecutive partitions of one topic share an entry; a topic split in the request stays split.
        TopicResponses<FetchResponse.FetchableTopicResponse, FetchResponse.PartitionData> topics =
                TopicResponses.consecutive(name -> new FetchResponse.FetchableTopicResponse().setTopic(name)
                                .setTopicId(ids.getOrDefault(name, NO_TOPIC_ID)),
                        FetchResponse.FetchableTopicResponse::partitions);
        for (FetchPartitionResult r : results) {
            FetchResponse.PartitionData p = new FetchResponse.PartitionData()
                    .setPartitionIndex(r.topicPartition().partition())
                    .setErrorCode(r.error().code())
                    .setHighWatermark(r.highWatermark())
                    .setLastStableOffset(r.lastStableOffset())
                    .setLogStartOffset(r.logStartOffset())
                    .setPreferredReadReplica(-1);
            if (r.divergingEpoch() != null) {
                p.setDivergingEpoch(new FetchResponse.EpochEndOffset().setEpoch(r.divergingEpoch().epoch())
                        .setEndOffset(r.divergingEpoch().endOffset()));
            }
            if (!r.records().isEmpty()) {
                p.setRecords(new LogFileRecords(r.records()));
            }
            topics.add(r.topicPartition().topic(), p);
        }
        List<FetchResponse.FetchableTopicResponse> all = new ArrayList<>(topics.topics());
        all.addAll(unknownIds);
        Responses.send(request, new FetchResponse().setSessionId(sessionId).setResponses(all));
    }
}
