package io.fjord.broker;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;
import io.fjord.coordinator.CommittedOffset;
import io.fjord.coordinator.GroupCoordinator;
import io.fjord.coordinator.OffsetFetchResult;
import io.fjord.coordinator.PartitionOffset;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.OffsetCommitRequest;
import io.fjord.protocol.message.OffsetCommitResponse;
import io.fjord.protocol.message.OffsetDeleteRequest;
import io.fjord.protocol.message.OffsetDeleteResponse;
import io.fjord.protocol.message.OffsetFetchRequest;
import io.fjord.protocol.message.OffsetFetchResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The committed-offset APIs on the wire: OffsetCommit (versions 2 to 9), OffsetFetch (1 to 9, for
 * several groups at once from 8) and OffsetDelete (0), mapped to the {@link GroupCoordinator}.
 * A negative partition index cannot name a partition: it is answered UNKNOWN_TOPIC_OR_PARTITION
 * (commit) or left out (fetch, delete) without reaching the coordinator.
 */
final class OffsetHandler implements ApiFamily {

    /** The first OffsetFetch version that asks for several groups. */
    private static final short FIRST_BATCHED_OFFSET_FETCH = 8;
    /** The first OffsetFetch version with a group-level error code. */
    private static final short FIRST_OFFSET_FETCH_GROUP_ERROR = 2;

    private final GroupCoordinator coordinator;

    OffsetHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.OFFSET_COMMIT, OffsetCommitRequest.class, this::offsetCommit)
                .add(ApiKeys.OFFSET_FETCH, OffsetFetchRequest.class, this::offsetFetch)
                .add(ApiKeys.OFFSET_DELETE, OffsetDeleteRequest.class, this::offsetDelete);
    }

    void offsetCommit(NetworkRequest request, OffsetCommitRequest body) {
        Map<TopicPartition, PartitionOffset> offsets = new LinkedHashMap<>();
        List<TopicPartition> invalid = new ArrayList<>();
        for (OffsetCommitRequest.OffsetCommitRequestTopic t : body.topics()) {
            for (OffsetCommitRequest.OffsetCommitRequestPartition p : t.partitions()) {
                if (p.partitionIndex() < 0) {
                    invalid.add(new TopicPartition(t.name(), p.partitionIndex()));
                    continue;
                }
                offsets.put(new TopicPartition(t.name(), p.partitionIndex()), new PartitionOffset(
                        p.committedOffset(), p.committedLeaderEpoch(), p.committedMetadata()));
            }
        }
        coordinator.commitOffsets(body.groupId(), body.memberId(), body.groupInstanceId(),
                body.generationIdOrMemberEpoch(), offsets, results -> {
                    TopicResponses<OffsetCommitResponse.OffsetCommitResponseTopic, OffsetCommitResponse.OffsetCommitResponsePartition>
                            topics = TopicResponses.merged(name -> new OffsetCommitResponse.OffsetCommitResponseTopic().setName(name),
                                    OffsetCommitResponse.OffsetCommitResponseTopic::partitions);
                    results.forEach((tp, error) -> topics.add(tp.topic(), partitionResult(tp, error)));
                    invalid.forEach(tp -> topics.add(tp.topic(), partitionResult(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION)));
                    Responses.send(request, new OffsetCommitResponse().setTopics(topics.topics()));
                });
    }

    private static OffsetCommitResponse.OffsetCommitResponsePartition partitionResult(TopicPartition tp, Errors error) {
        return new OffsetCommitResponse.OffsetCommitResponsePartition().setPartitionIndex(tp.partition())
                .setErrorCode(error.code());
    }

    void offsetFetch(NetworkRequest request, OffsetFetchRequest body) {
        short version = request.header().apiVersion();
        OffsetFetchResponse response = new OffsetFetchResponse();
        if (version >= FIRST_BATCHED_OFFSET_FETCH) {
            for (OffsetFetchRequest.OffsetFetchRequestGroup g : body.groups()) {
                List<TopicPartition> partitions = requested(g.topics(), OffsetFetchRequest.OffsetFetchRequestTopics::name,
                        OffsetFetchRequest.OffsetFetchRequestTopics::partitionIndexes);
                OffsetFetchResult result = coordinator.fetchOffsets(g.groupId(), partitions);
                OffsetFetchResponse.OffsetFetchResponseGroup group = new OffsetFetchResponse.OffsetFetchResponseGroup()
                        .setGroupId(g.groupId()).setErrorCode(result.error().code());
                TopicResponses<OffsetFetchResponse.OffsetFetchResponseTopics, OffsetFetchResponse.OffsetFetchResponsePartitions>
                        topics = TopicResponses.merged(name -> new OffsetFetchResponse.OffsetFetchResponseTopics().setName(name),
                                OffsetFetchResponse.OffsetFetchResponseTopics::partitions);
                for (TopicPartition tp : answered(result, partitions)) {
                    CommittedOffset o = result.offsets().get(tp);
                    topics.add(tp.topic(), new OffsetFetchResponse.OffsetFetchResponsePartitions()
                            .setPartitionIndex(tp.partition())
                            .setCommittedOffset(o == null ? -1L : o.offset())
                            .setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch())
                            .setMetadata(o == null ? "" : o.metadata()));
                }
                response.groups().add(group.setTopics(topics.topics()));
            }
        } else {
            List<TopicPartition> partitions = requested(body.topics(), OffsetFetchRequest.OffsetFetchRequestTopic::name,
                    OffsetFetchRequest.OffsetFetchRequestTopic::partitionIndexes);
            OffsetFetchResult result = coordinator.fetchOffsets(body.groupId(), partitions);
            // Before v2 there is no group-level error: it goes into every partition.
            Errors partitionError = version < FIRST_OFFSET_FETCH_GROUP_ERROR ? result.error() : Errors.NONE;
            TopicResponses<OffsetFetchResponse.OffsetFetchResponseTopic, OffsetFetchResponse.OffsetFetchResponsePartition>
                    topics = TopicResponses.merged(name -> new OffsetFetchResponse.OffsetFetchResponseTopic().setName(name),
                            OffsetFetchResponse.OffsetFetchResponseTopic::partitions);
            for (TopicPartition tp : answered(result, partitions)) {
                CommittedOffset o = result.offsets().get(tp);
                topics.add(tp.topic(), new OffsetFetchResponse.OffsetFetchResponsePartition()
                        .setPartitionIndex(tp.partition())
                        .setCommittedOffset(o == null ? -1L : o.offset())
                        .setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch())
                        .setMetadata(o == null ? "" : o.metadata())
                        .setErrorCode(partitionError.code()));
            }
            response.setErrorCode(result.error().code()).setTopics(topics.topics());
        }
        Responses.send(request, response);
    }

    /** The partitions a fetch names (negative indexes left out), or null for every committed one. */
    private static <T> List<TopicPartition> requested(List<T> topics, Function<T, String> name,
            Function<T, List<Integer>> indexes) {
        if (topics == null) {
            return null;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (T t : topics) {
            for (int p : indexes.apply(t)) {
                if (p >= 0) {
                    partitions.add(new TopicPartition(name.apply(t), p));
                }
            }
        }
        return partitions;
    }

    /** The partitions an answer lists: those found, or on a group error those asked for. */
    private static Iterable<TopicPartition> answered(OffsetFetchResult result, List<TopicPartition> requested) {
        return result.error() == Errors.NONE || requested == null ? result.offsets().keySet() : requested;
    }

    void offsetDelete(NetworkRequest request, OffsetDeleteRequest body) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (OffsetDeleteRequest.OffsetDeleteRequestTopic t : body.topics()) {
            for (OffsetDeleteRequest.OffsetDeleteRequestPartition p : t.partitions()) {
                if (p.partitionIndex() >= 0) {
                    partitions.add(new TopicPartition(t.name(), p.partitionIndex()));
                }
            }
        }
        coordinator.deleteOffsets(body.groupId(), partitions, result -> {
            TopicResponses<OffsetDeleteResponse.OffsetDeleteResponseTopic, OffsetDeleteResponse.OffsetDeleteResponsePartition>
                    topics = TopicResponses.merged(name -> new OffsetDeleteResponse.OffsetDeleteResponseTopic().setName(name),
                            OffsetDeleteResponse.OffsetDeleteResponseTopic::partitions);
            result.partitions().forEach((tp, error) -> topics.add(tp.topic(),
                    new OffsetDeleteResponse.OffsetDeleteResponsePartition().setPartitionIndex(tp.partition())
                            .setErrorCode(error.code())));
            Responses.send(request, new OffsetDeleteResponse().setErrorCode(result.error().code())
                    .setTopics(topics.topics()));
        });
    }
}
