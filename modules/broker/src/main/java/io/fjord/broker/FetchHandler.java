package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.network.NetworkRequest;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;
import io.fjord.replication.FetchParams;
import io.fjord.replication.FetchPartitionRequest;
import io.fjord.replication.FetchPartitionResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Fetch (versions 4 to 11) for consumers. Every requested partition is answered, in request
 * order, with its high watermark, last stable offset (= high watermark, no transactions), log
 * start offset, preferred read replica -1 and records that are never null: whole batches as a
 * file slice sent with sendfile. Session id 0 in the answer keeps both clients sessionless, so
 * every fetch is full and {@code forgotten_topics_data} is ignored. Below {@code min_bytes} the
 * fetch waits in the replica manager's purgatory, never on this thread.
 */
final class FetchHandler {

    private final Broker broker;

    FetchHandler(Broker broker) {
        this.broker = broker;
    }

    void handle(NetworkRequest request, Struct body) {
        List<FetchPartitionRequest> partitions = new ArrayList<>();
        for (Struct topic : body.getStructArray("topics")) {
            String name = topic.getString("topic");
            for (Struct p : topic.getStructArray("partitions")) {
                TopicPartition tp = new TopicPartition(name, p.getInt("partition"));
                // Ensures the replica manager knows a partition the metadata has.
                broker.partitionFor(tp);
                partitions.add(new FetchPartitionRequest(tp, p.getLong("fetch_offset"),
                        Math.max(0, p.getInt("partition_max_bytes"))));
            }
        }
        FetchParams params = new FetchParams(body.getInt("max_wait_ms"), body.getInt("min_bytes"),
                body.getInt("max_bytes"));
        broker.replicaManager().fetchMessages(params, partitions, results -> respond(request, results));
    }

    private static void respond(NetworkRequest request, List<FetchPartitionResult> results) {
        Struct response = MessageCodec.newResponse(ApiKeys.FETCH);
        response.set("error_code", Errors.NONE.code());
        response.set("session_id", 0);
        response.set("responses", new ArrayList<Struct>());
        Struct last = null;
        for (FetchPartitionResult r : results) {
            String name = r.topicPartition().topic();
            // Consecutive partitions of one topic share an entry; a topic split in the request stays split.
            Struct topic = last != null && last.getString("topic").equals(name) ? last : null;
            if (topic == null) {
                topic = response.addElement("responses");
                topic.set("topic", name);
                topic.set("partitions", new ArrayList<Struct>());
                last = topic;
            }
            Struct p = topic.addElement("partitions");
            p.set("partition_index", r.topicPartition().partition());
            p.set("error_code", r.error().code());
            p.set("high_watermark", r.highWatermark());
            p.set("last_stable_offset", r.lastStableOffset());
            p.set("log_start_offset", r.logStartOffset());
            p.set("aborted_transactions", new ArrayList<Struct>());
            p.set("preferred_read_replica", -1);
            p.set("records", r.records().isEmpty() ? null : new LogFileRecords(r.records()));
        }
        RequestDispatcher.respond(request, response);
    }
}
