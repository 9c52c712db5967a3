package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.MetadataStore;
import io.fjord.controller.TopicImage;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ProduceRequest;
import io.fjord.protocol.message.ProduceResponse;
import io.fjord.protocol.types.MemoryRecordSet;
import io.fjord.protocol.types.RecordSet;
import io.fjord.replication.ProducePartitionResult;
import io.fjord.replication.ReplicaManager;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Produce (versions 3 to 7; 0 to 2 are advertised for librdkafka's feature check and answered
 * UNSUPPORTED_VERSION, as Kafka 4 does). Records stay the request's bytes from socket to disk:
 * each partition's slice of the request frame goes to the replica manager, which validates it and
 * stamps offsets into it in place. Only a topic whose {@code compression.type} names a codec other
 * than a batch's has that batch rewritten first (see {@link BrokerCodecs}); a batch that cannot be
 * decompressed for it fails its partition with UNSUPPORTED_COMPRESSION_TYPE (codec not loaded) or
 * CORRUPT_MESSAGE. acks=0 gets no response; if one of its partitions failed the connection is
 * closed so the client notices, as Kafka does.
 */
final class ProduceHandler implements ApiFamily {

    private final MetadataStore store;
    private final ReplicaManager replicaManager;
    private final PartitionLookup partitions;
    private final BrokerCodecs codecs;
    /** A batch rewritten for its topic's codec may inflate to at most what a request may hold. */
    private final int maxDecompressedBatchBytes;

    ProduceHandler(MetadataStore store, ReplicaManager replicaManager, PartitionLookup partitions,
            BrokerCodecs codecs, int maxDecompressedBatchBytes) {
        this.store = store;
        this.replicaManager = replicaManager;
        this.partitions = partitions;
        this.codecs = codecs;
        this.maxDecompressedBatchBytes = maxDecompressedBatchBytes;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.PRODUCE, ProduceRequest.class, this::handle);
    }

    void handle(NetworkRequest request, ProduceRequest body) {
        short version = request.header().apiVersion();
        short acks = body.acks();
        Map<TopicPartition, ProducePartitionResult> early = new LinkedHashMap<>();
        Map<TopicPartition, ByteBuffer> toAppend = new LinkedHashMap<>();
        Errors requestError = version < ApiKeys.PRODUCE.oldestAcceptedVersion() ? Errors.UNSUPPORTED_VERSION
                : acks != -1 && acks != 0 && acks != 1 ? Errors.INVALID_REQUIRED_ACKS
                : body.transactionalId() != null ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                : Errors.NONE;
        MetadataImage image = store.image();
        for (ProduceRequest.TopicProduceData topic : body.topicData()) {
            String name = topic.name();
            TopicImage topicImage = image.topic(name);
            for (ProduceRequest.PartitionProduceData p : topic.partitionData()) {
                TopicPartition tp = new TopicPartition(name, p.index());
                ByteBuffer records = bytesOf(p.records());
                if (requestError != Errors.NONE) {
                    early.put(tp, ProducePartitionResult.error(requestError, null));
                } else if (records == null || !records.hasRemaining()) {
                    early.put(tp, ProducePartitionResult.error(Errors.INVALID_RECORD, "No records"));
                } else if (partitions.partitionFor(tp) == null) {
                    early.put(tp, ProducePartitionResult.error(partitions.notServedError(tp), null));
                } else if (toAppend.containsKey(tp)) {
                    early.put(tp, ProducePartitionResult.error(Errors.INVALID_REQUEST, "Partition named twice"));
                } else {
                    try {
                        ByteBuffer stored = topicImage == null ? records
                                : codecs.toTopicCodec(topicImage, records, maxDecompressedBatchBytes);
                        toAppend.put(tp, writable(stored));
                    } catch (ProtocolException e) {
                        early.put(tp, ProducePartitionResult.error(e.error(), e.getMessage()));
                    }
                }
            }
        }
        long timeoutMs = Math.max(0, body.timeoutMs());
        if (toAppend.isEmpty()) {
            complete(request, acks, early, Map.of());
            return;
        }
        replicaManager.appendRecords(acks, timeoutMs, toAppend, results -> complete(request, acks, early, results));
    }

    /** The bytes of a decoded request's records: a slice of the request frame. */
    private static ByteBuffer bytesOf(RecordSet records) {
        return records instanceof MemoryRecordSet memory ? memory.buffer() : null;
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

    private static void complete(NetworkRequest request, short acks, Map<TopicPartition, ProducePartitionResult> early,
            Map<TopicPartition, ProducePartitionResult> appended) {
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
        TopicResponses<ProduceResponse.TopicProduceResponse, ProduceResponse.PartitionProduceResponse> topics =
                TopicResponses.merged(name -> new ProduceResponse.TopicProduceResponse().setName(name),
                        ProduceResponse.TopicProduceResponse::partitionResponses);
        for (Map.Entry<TopicPartition, ProducePartitionResult> e : all.entrySet()) {
            ProducePartitionResult r = e.getValue();
            topics.add(e.getKey().topic(), new ProduceResponse.PartitionProduceResponse()
                    .setIndex(e.getKey().partition())
                    .setErrorCode(r.error().code())
                    .setBaseOffset(r.baseOffset())
                    .setLogAppendTimeMs(r.logAppendTime())
                    .setLogStartOffset(r.logStartOffset()));
        }
        Responses.send(request, new ProduceResponse().setResponses(topics.topics()));
    }
}
