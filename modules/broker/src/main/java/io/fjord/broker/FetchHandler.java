package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.FetchRequest;
import io.fjord.protocol.message.FetchResponse;
import io.fjord.replication.FetchParams;
import io.fjord.replication.FetchPartitionRequest;
import io.fjord.replication.FetchPartitionResult;
import io.fjord.replication.ReplicaManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Fetch (versions 4 to 11) for consumers. Every requested partition is answered, in request
 * order, with its high watermark, last stable offset (= high watermark, no transactions), log
 * start offset, preferred read replica -1 and records that are never null: whole batches as a
 * file slice sent with sendfile. Session id 0 in the answer keeps both clients sessionless, so
 * every fetch is full and {@code ForgottenTopicsData} is ignored. Below {@code MinBytes} the
 * fetch waits in the replica manager's purgatory, never on this thread.
 */
final class FetchHandler implements ApiFamily {

    private final ReplicaManager replicaManager;
    private final PartitionLookup partitions;

    FetchHandler(ReplicaManager replicaManager, PartitionLookup partitions) {
        this.replicaManager = replicaManager;
        this.partitions = partitions;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.FETCH, FetchRequest.class, this::handle);
    }

    void handle(NetworkRequest request, FetchRequest body) {
        List<FetchPartitionRequest> wanted = new ArrayList<>();
        for (FetchRequest.FetchTopic topic : body.topics()) {
            for (FetchRequest.FetchPartition p : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), p.partition());
                // Ensures the replica manager knows a partition the metadata has.
                partitions.partitionFor(tp);
                wanted.add(new FetchPartitionRequest(tp, p.fetchOffset(), Math.max(0, p.partitionMaxBytes())));
            }
        }
        FetchParams params = new FetchParams(body.maxWaitMs(), body.minBytes(), body.maxBytes());
        replicaManager.fetchMessages(params, wanted, results -> respond(request, results));
    }

    private static void respond(NetworkRequest request, List<FetchPartitionResult> results) {
        // Consecutive partitions of one topic share an entry; a topic split in the request stays split.
        TopicResponses<FetchResponse.FetchableTopicResponse, FetchResponse.PartitionData> topics =
                TopicResponses.consecutive(name -> new FetchResponse.FetchableTopicResponse().setTopic(name),
                        FetchResponse.FetchableTopicResponse::partitions);
        for (FetchPartitionResult r : results) {
            FetchResponse.PartitionData p = new FetchResponse.PartitionData()
                    .setPartitionIndex(r.topicPartition().partition())
                    .setErrorCode(r.error().code())
                    .setHighWatermark(r.highWatermark())
                    .setLastStableOffset(r.lastStableOffset())
                    .setLogStartOffset(r.logStartOffset())
                    .setPreferredReadReplica(-1);
            if (!r.records().isEmpty()) {
                p.setRecords(new LogFileRecords(r.records()));
            }
            topics.add(r.topicPartition().topic(), p);
        }
        Responses.send(request, new FetchResponse().setSessionId(0).setResponses(topics.topics()));
    }
}
