package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.TopicImage;
import io.fjord.network.NetworkRequest;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.schema.Struct;
import io.fjord.replication.ProducePartitionResult;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Produce (versions 3 to 7; 0 to 2 are advertised for librdkafka's feature check and answered
 * UNSUPPORTED_VERSION, as Kafka 4 does). Records stay the request's bytes from socket to disk:
 * each partition's slice goes to the replica manager, which validates it and assigns offsets in
 * place. Only a topic whose {@code compression.type} names a codec other than a batch's has that
 * batch rewritten first (see {@link BrokerCodecs}); a batch that cannot be decompressed for it
 * fails its partition with UNSUPPORTED_COMPRESSION_TYPE (codec not loaded) or CORRUPT_MESSAGE.
 * acks=0 gets no response; if one of its partitions failed the connection is closed so the
 * client notices, as Kafka does.
 */
final class ProduceHandler {

    private final Broker broker;
    /** A batch rewritten for its topic's codec may inflate to at most what a request may hold. */
    private final int maxDecompressedBatchBytes;

    ProduceHandler(Broker broker) {
        this.broker = broker;
        this.maxDecompressedBatchBytes = broker.config().networkConfig().socketRequestMaxBytes();
    }

    void handle(NetworkRequest request, Struct body) {
        short version = request.header().apiVersion();
        short acks = body.getShort("acks");
        Map<TopicPartition, ProducePartitionResult> early = new LinkedHashMap<>();
        Map<TopicPartition, ByteBuffer> toAppend = new LinkedHashMap<>();
        Errors requestError = version < ApiKeys.PRODUCE.oldestAcceptedVersion() ? Errors.UNSUPPORTED_VERSION
                : acks != -1 && acks != 0 && acks != 1 ? Errors.INVALID_REQUIRED_ACKS
                : body.getString("transactional_id") != null ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                : Errors.NONE;
        MetadataImage image = broker.metadataStore().image();
        for (Struct topic : body.getStructArray("topic_data")) {
            String name = topic.getString("name");
            TopicImage topicImage = image.topic(name);
            for (Struct p : topic.getStructArray("partition_data")) {
                TopicPartition tp = new TopicPartition(name, p.getInt("index"));
                ByteBuffer records = p.getRecords("records");
                if (requestError != Errors.NONE) {
                    early.put(tp, ProducePartitionResult.error(requestError, null));
                } else if (records == null || !records.hasRemaining()) {
                    early.put(tp, ProducePartitionResult.error(Errors.INVALID_RECORD, "No records"));
                } else if (broker.partitionFor(tp) == null) {
                    early.put(tp, ProducePartitionResult.error(Errors.UNKNOWN_TOPIC_OR_PARTITION, null));
                } else if (toAppend.containsKey(tp)) {
                    early.put(tp, ProducePartitionResult.error(Errors.INVALID_REQUEST, "Partition named twice"));
                } else {
                    try {
                        ByteBuffer stored = topicImage == null ? records
                                : broker.codecs().toTopicCodec(topicImage, records, maxDecompressedBatchBytes);
                        toAppend.put(tp, writable(stored));
                    } catch (ProtocolException e) {
                        early.put(tp, ProducePartitionResult.error(e.error(), e.getMessage()));
                    }
                }
            }
        }
        long timeoutMs = Math.max(0, body.getInt("timeout_ms"));
        if (toAppend.isEmpty()) {
            complete(request, acks, version, early, Map.of());
            return;
        }
        broker.replicaManager().appendRecords(acks, timeoutMs, toAppend,
                results -> complete(request, acks, version, early, results));
    }

    /** The log stamps offsets into the batches in place: a read-only view is copied once. */
    private static ByteBuffer writable(ByteBuffer records) {
        if (!records.isReadOnly()) {
            return records;
        }
        ByteBuffer copy = ByteBuffer.allocate(records.remaining());
        copy.put(records.duplicate()).flip();
        return copy;
    }

    private static void complete(NetworkRequest request, short acks, short version,
            Map<TopicPartition, ProducePartitionResult> early, Map<TopicPartition, ProducePartitionResult> appended) {
        Map<TopicPartition, ProducePartitionResult> all = new LinkedHashMap<>(early);
        all.putAll(appended);
        if (acks == 0) {
            boolean failed = all.values().stream().anyMatch(r -> r.error() != Errors.NONE);
            if (failed) {
                request.closeConnection();
            } else {
                request.noResponse();
            }
            return;
        }
        Struct response = MessageCodec.newResponse(ApiKeys.PRODUCE);
        response.set("responses", new ArrayList<Struct>());
        Map<String, Struct> byTopic = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, ProducePartitionResult> e : all.entrySet()) {
            Struct topic = byTopic.computeIfAbsent(e.getKey().topic(), name -> {
                Struct t = response.addElement("responses");
                t.set("name", name);
                t.set("partition_responses", new ArrayList<Struct>());
                return t;
            });
            ProducePartitionResult r = e.getValue();
            Struct p = topic.addElement("partition_responses");
            p.set("index", e.getKey().partition());
            p.set("error_code", r.error().code());
            p.set("base_offset", r.baseOffset());
            p.set("log_append_time_ms", r.logAppendTime());
            p.set("log_start_offset", r.logStartOffset());
        }
        RequestDispatcher.respond(request, response);
    }
}
