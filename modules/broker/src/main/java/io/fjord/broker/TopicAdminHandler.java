package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.controller.ConfigEntry;
import io.fjord.controller.MetadataException;
import io.fjord.controller.MetadataStore;
import io.fjord.controller.NewTopic;
import io.fjord.controller.TopicConfigs;
import io.fjord.controller.TopicImage;
import io.fjord.log.LogException;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.CreatePartitionsRequest;
import io.fjord.protocol.message.CreatePartitionsResponse;
import io.fjord.protocol.message.CreateTopicsRequest;
import io.fjord.protocol.message.CreateTopicsResponse;
import io.fjord.protocol.message.DeleteRecordsRequest;
import io.fjord.protocol.message.DeleteRecordsResponse;
import io.fjord.protocol.message.DeleteTopicsRequest;
import io.fjord.protocol.message.DeleteTopicsResponse;
import io.fjord.replication.Partition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The topic APIs, answered from and applied to the metadata store: CreateTopics (versions 2 to 7),
 * DeleteTopics (1 to 6; by id from 6), CreatePartitions (0 to 3); and DeleteRecords (0 to 2), which
 * moves log start offsets. A topic's {@code compression.type} must name a codec the broker has
 * loaded. Every change is committed by the store, whose listener (in {@link Broker}) creates or
 * deletes the partition logs, so the answer is sent after the logs exist. Each topic gets its own
 * error code and message; one failing never fails the others.
 */
final class TopicAdminHandler implements ApiFamily {

    private static final UUID NO_TOPIC_ID = new UUID(0, 0);

    private final MetadataStore store;
    private final PartitionLookup partitions;
    private final BrokerCodecs codecs;
    /** The broker's topic defaults as they are now (dynamic settings change them). */
    private final Supplier<TopicConfigs> topicConfigs;

    TopicAdminHandler(MetadataStore store, PartitionLookup partitions, BrokerCodecs codecs,
            Supplier<TopicConfigs> topicConfigs) {
        this.store = store;
        this.partitions = partitions;
        this.codecs = codecs;
        this.topicConfigs = topicConfigs;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.CREATE_TOPICS, CreateTopicsRequest.class, this::createTopics)
                .add(ApiKeys.DELETE_TOPICS, DeleteTopicsRequest.class, this::deleteTopics)
                .add(ApiKeys.CREATE_PARTITIONS, CreatePartitionsRequest.class, this::createPartitions)
                .add(ApiKeys.DELETE_RECORDS, DeleteRecordsRequest.class, this::deleteRecords);
    }

    void createTopics(NetworkRequest request, CreateTopicsRequest body) {
        CreateTopicsResponse response = new CreateTopicsResponse();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreateTopicsRequest.CreatableTopic t : body.topics()) {
            if (!seen.add(t.name())) {
                duplicates.add(t.name());
            }
        }
        for (CreateTopicsRequest.CreatableTopic t : body.topics()) {
            String name = t.name();
            CreateTopicsResponse.CreatableTopicResult r = new CreateTopicsResponse.CreatableTopicResult().setName(name);
            response.topics().add(r);
            if (duplicates.contains(name)) {
                r.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Create topics request from client contains a duplicate topic: " + name);
                continue;
            }
            Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
            for (CreateTopicsRequest.CreatableReplicaAssignment a : t.assignments()) {
                assignments.put(a.partitionIndex(), a.brokerIds());
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (CreateTopicsRequest.CreatableTopicConfig c : t.configs()) {
                configs.put(c.name(), c.value());
            }
            try {
                NewTopic newTopic = new NewTopic(name, t.numPartitions(), t.replicationFactor(), assignments, configs);
                if (configs.containsKey(BrokerCodecs.COMPRESSION_TYPE)) {
                    // The store's own checks first, so their errors win as in Kafka; then the codec.
                    store.createTopic(newTopic, true);
                    codecs.requireCodec(configs.get(BrokerCodecs.COMPRESSION_TYPE));
                }
                describeCreated(r, store.createTopic(newTopic, body.validateOnly()));
            } catch (MetadataException e) {
                r.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
        }
        Responses.send(request, response);
    }

    /** What versions 5+ of the response tell about a created topic; 7+ adds its id. */
    private void describeCreated(CreateTopicsResponse.CreatableTopicResult result, TopicImage topic) {
        result.setTopicId(topic.id())
                .setNumPartitions(topic.partitionCount())
                .setReplicationFactor((short) topic.partition(0).replicas().size());
        for (ConfigEntry e : topicConfigs.get().describe(topic.configs())) {
            result.configs().add(new CreateTopicsResponse.CreatableTopicConfigs()
                    .setName(e.name())
                    .setValue(e.value())
                    .setReadOnly(false)
                    .setConfigSource(e.source().id())
                    .setIsSensitive(false));
        }
    }

    /** By name before version 6; from 6 by name or by id, but not both in one entry. */
    void deleteTopics(NetworkRequest request, DeleteTopicsRequest body) {
        DeleteTopicsResponse response = new DeleteTopicsResponse();
        if (request.header().apiVersion() < 6) {
            for (String name : body.topicNames()) {
                response.responses().add(deleteByName(name));
            }
        } else {
            for (DeleteTopicsRequest.DeleteTopicState t : body.topics()) {
                boolean byId = !t.topicId().equals(NO_TOPIC_ID);
                if (byId && t.name() != null) {
                    response.responses().add(new DeleteTopicsResponse.DeletableTopicResult().setName(t.name())
                            .setTopicId(t.topicId()).setErrorCode(Errors.INVALID_REQUEST.code())
                            .setErrorMessage("You may not specify both a topic name and a topic id"));
                } else {
                    response.responses().add(byId ? deleteById(t.topicId()) : deleteByName(t.name()));
                }
            }
        }
        Responses.send(request, response);
    }

    private DeleteTopicsResponse.DeletableTopicResult deleteByName(String name) {
        DeleteTopicsResponse.DeletableTopicResult r = new DeleteTopicsResponse.DeletableTopicResult().setName(name);
        try {
            r.setTopicId(store.deleteTopic(name).id());
        } catch (MetadataException e) {
            r.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
        return r;
    }

    private DeleteTopicsResponse.DeletableTopicResult deleteById(UUID id) {
        DeleteTopicsResponse.DeletableTopicResult r = new DeleteTopicsResponse.DeletableTopicResult().setName(null)
                .setTopicId(id);
        try {
            r.setName(store.deleteTopic(id).name());
        } catch (MetadataException e) {
            r.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
        return r;
    }

    void createPartitions(NetworkRequest request, CreatePartitionsRequest body) {
        CreatePartitionsResponse response = new CreatePartitionsResponse();
        for (CreatePartitionsRequest.CreatePartitionsTopic t : body.topics()) {
            CreatePartitionsResponse.CreatePartitionsTopicResult r =
                    new CreatePartitionsResponse.CreatePartitionsTopicResult().setName(t.name());
            response.results().add(r);
            List<List<Integer>> assignments = null;
            if (t.assignments() != null) {
                assignments = new ArrayList<>();
                for (CreatePartitionsRequest.CreatePartitionsAssignment a : t.assignments()) {
                    assignments.add(a.brokerIds());
                }
            }
            try {
                store.createPartitions(t.name(), t.count(), assignments, body.validateOnly());
            } catch (MetadataException e) {
                r.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
        }
        Responses.send(request, response);
    }

    /** DeleteRecords: moves each log start offset up; offset -1 means the high watermark. */
    void deleteRecords(NetworkRequest request, DeleteRecordsRequest body) {
        TopicResponses<DeleteRecordsResponse.DeleteRecordsTopicResult, DeleteRecordsResponse.DeleteRecordsPartitionResult>
                topics = TopicResponses.merged(name -> new DeleteRecordsResponse.DeleteRecordsTopicResult().setName(name),
                        DeleteRecordsResponse.DeleteRecordsTopicResult::partitions);
        for (DeleteRecordsRequest.DeleteRecordsTopic t : body.topics()) {
            for (DeleteRecordsRequest.DeleteRecordsPartition p : t.partitions()) {
                DeleteRecordsResponse.DeleteRecordsPartitionResult rp = topics.add(t.name(),
                        new DeleteRecordsResponse.DeleteRecordsPartitionResult()
                                .setPartitionIndex(p.partitionIndex()).setLowWatermark(-1L));
                TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                Partition partition = partitions.partitionFor(tp);
                if (partition == null) {
                    rp.setErrorCode(partitions.notServedError(tp).code());
                    continue;
                }
                try {
                    partition.log().deleteRecordsBefore(p.offset() == -1 ? partition.highWatermark() : p.offset());
                    rp.setLowWatermark(partition.logStartOffset());
                } catch (LogException e) {
                    rp.setErrorCode(e.error().code());
                }
            }
        }
        Responses.send(request, new DeleteRecordsResponse().setTopics(topics.topics()));
    }
}
