package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.MetadataStore;
import io.fjord.controller.PartitionImage;
import io.fjord.controller.TopicImage;
import io.fjord.controller.TopicNames;
import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.DescribeTopicPartitionsRequest;
import io.fjord.protocol.message.DescribeTopicPartitionsResponse;
import io.fjord.protocol.message.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponsePartition;
import io.fjord.protocol.message.DescribeTopicPartitionsResponse.DescribeTopicPartitionsResponseTopic;

import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * DescribeTopicPartitions (version 0), which Kafka's admin client and {@code kafka-topics --describe}
 * prefer to Metadata: the requested topics (every topic for an empty list) in name order, with their
 * partitions, at most {@code ResponsePartitionLimit} partitions in one answer (and never more than
 * the broker's {@code max.request.partition.size.limit}); when more remain, {@code NextCursor} names
 * the topic and partition to continue from, and a request carrying that cursor starts there.
 *
 * <p>As in Kafka: a cursor whose topic is not among the requested ones is an INVALID_REQUEST for
 * every requested topic; an unknown requested topic is answered with UNKNOWN_TOPIC_OR_PARTITION (or
 * INVALID_TOPIC_EXCEPTION for an illegal name) and no partitions; authorized operations are always
 * reported.
 */
final class DescribeTopicPartitionsHandler implements ApiFamily {

    private static final UUID NO_TOPIC_ID = new UUID(0, 0);

    private final MetadataStore store;
    private final int maxPartitionsPerResponse;

    DescribeTopicPartitionsHandler(MetadataStore store, int maxPartitionsPerResponse) {
        this.store = store;
        this.maxPartitionsPerResponse = maxPartitionsPerResponse;
    }

    @Override
    public void register(Routes routes) {
        routes.add(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, DescribeTopicPartitionsRequest.class, this::handle);
    }

    void handle(NetworkRequest request, DescribeTopicPartitionsRequest body) {
        MetadataImage image = store.image();
        boolean allTopics = body.topics().isEmpty();
        DescribeTopicPartitionsRequest.Cursor cursor = body.cursor();
        String from = cursor == null ? "" : cursor.topicName();
        TreeSet<String> names = new TreeSet<>();
        if (allTopics) {
            names.addAll(image.topicsByName().keySet());
        } else {
            body.topics().forEach(t -> names.add(t.name()));
        }
        DescribeTopicPartitionsResponse response = new DescribeTopicPartitionsResponse();
        if (cursor != null && !allTopics && !names.contains(cursor.topicName())) {
            for (String name : names) {
                response.topics().add(unknown(name, Errors.INVALID_REQUEST));
            }
            Responses.send(request, response);
            return;
        }
        int remaining = Math.min(maxPartitionsPerResponse, Math.max(0, body.responsePartitionLimit()));
        boolean first = true;
        for (String name : names.tailSet(from, true)) {
            if (remaining == 0) {
                response.setNextCursor(new DescribeTopicPartitionsResponse.Cursor().setTopicName(name).setPartitionIndex(0));
                break;
            }
            int start = first && cursor != null ? Math.max(0, cursor.partitionIndex()) : 0;
            first = false;
            TopicImage topic = image.topic(name);
            if (topic == null) {
                if (!allTopics) {
                    response.topics().add(unknown(name, TopicNames.isValid(name) ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                            : Errors.INVALID_TOPIC_EXCEPTION));
                }
                continue;
            }
            DescribeTopicPartitionsResponseTopic t = new DescribeTopicPartitionsResponseTopic()
                    .setName(name)
                    .setTopicId(topic.id())
                    .setIsInternal(topic.internal())
                    .setTopicAuthorizedOperations(AuthorizedOperations.TOPIC);
            response.topics().add(t);
            int end = Math.min(topic.partitionCount(), start + remaining);
            for (PartitionImage p : topic.partitions().subList(Math.min(start, end), end)) {
                t.partitions().add(partition(p));
            }
            remaining -= t.partitions().size();
            if (end < topic.partitionCount()) {
                response.setNextCursor(new DescribeTopicPartitionsResponse.Cursor().setTopicName(name).setPartitionIndex(end));
                break;
            }
        }
        Responses.send(request, response);
    }

    private static DescribeTopicPartitionsResponseTopic unknown(String name, Errors error) {
        return new DescribeTopicPartitionsResponseTopic().setErrorCode(error.code()).setName(name)
                .setTopicId(NO_TOPIC_ID).setTopicAuthorizedOperations(AuthorizedOperations.TOPIC);
    }

    private static DescribeTopicPartitionsResponsePartition partition(PartitionImage p) {
        return new DescribeTopicPartitionsResponsePartition()
                .setErrorCode((p.leader() == -1 ? Errors.LEADER_NOT_AVAILABLE : Errors.NONE).code())
                .setPartitionIndex(p.partition())
                .setLeaderId(p.leader())
                .setLeaderEpoch(p.leaderEpoch())
                .setReplicaNodes(p.replicas())
                .setIsrNodes(p.isr())
                // No eligible leader replicas (KIP-966) here; Kafka's admin client needs the empty lists.
                .setEligibleLeaderReplicas(List.of())
                .setLastKnownElr(List.of());
    }
}
