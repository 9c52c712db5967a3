package io.fjord.client.admin.internals;

import io.fjord.api.TopicPartition;
import io.fjord.client.admin.ListedOffset;
import io.fjord.client.admin.OffsetSpec;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.DeleteRecordsRequest;
import io.fjord.protocol.message.DeleteRecordsResponse;
import io.fjord.protocol.message.ListOffsetsRequest;
import io.fjord.protocol.message.ListOffsetsResponse;
import io.fjord.protocol.message.MetadataResponse;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** ListOffsets and DeleteRecords, sent to each partition's leader as metadata names it. */
public final class OffsetOperations {

    private final AdminCalls calls;

    public OffsetOperations(AdminCalls calls) {
        this.calls = calls;
    }

    public Map<TopicPartition, CompletableFuture<ListedOffset>> listOffsets(Map<TopicPartition, OffsetSpec> specs,
                                                                            long deadlineNs) {
        Map<TopicPartition, CompletableFuture<ListedOffset>> results = TopicOperations.futures(specs.keySet());
        byLeader(specs.keySet(), results, deadlineNs, (leader, partitions) -> calls.call("ListOffsets",
                (c, d) -> CompletableFuture.completedFuture(leader), () -> {
                    ListOffsetsRequest request = new ListOffsetsRequest().setReplicaId(-1).setTimeoutMs(30_000);
                    Map<String, ListOffsetsRequest.ListOffsetsTopic> topics = new LinkedHashMap<>();
                    for (TopicPartition tp : partitions) {
                        topics.computeIfAbsent(tp.topic(), t -> new ListOffsetsRequest.ListOffsetsTopic().setName(t))
                                .partitions().add(new ListOffsetsRequest.ListOffsetsPartition()
                                        .setPartitionIndex(tp.partition()).setCurrentLeaderEpoch(-1)
                                        .setTimestamp(specs.get(tp).timestamp()));
                    }
                    request.topics().addAll(topics.values());
                    return request;
                }, ListOffsetsResponse.class, r -> Errors.NONE, deadlineNs).whenComplete((r, failure) -> {
                    if (failure != null) {
                        partitions.forEach(tp -> results.get(tp).completeExceptionally(failure));
                        return;
                    }
                    for (ListOffsetsResponse.ListOffsetsTopicResponse t : r.topics()) {
                        for (ListOffsetsResponse.ListOffsetsPartitionResponse p : t.partitions()) {
                            CompletableFuture<ListedOffset> future = results.get(new TopicPartition(t.name(), p.partitionIndex()));
                            if (future == null) {
                                continue;
                            }
                            if (p.errorCode() != 0) {
                                future.completeExceptionally(ClientException.of(Errors.forCode(p.errorCode()), null));
                            } else {
                                future.complete(new ListedOffset(p.offset(), p.timestamp(),
                                        p.leaderEpoch() < 0 ? Optional.empty() : Optional.of(p.leaderEpoch())));
                            }
                        }
                    }
                    TopicOperations.failMissing(results);
                }));
        return results;
    }

    public Map<TopicPartition, CompletableFuture<Long>> deleteRecords(Map<TopicPartition, Long> beforeOffsets,
                                                                     long timeoutMs, long deadlineNs) {
        Map<TopicPartition, CompletableFuture<Long>> results = TopicOperations.futures(beforeOffsets.keySet());
        byLeader(beforeOffsets.keySet(), results, deadlineNs, (leader, partitions) -> calls.call("DeleteRecords",
                (c, d) -> CompletableFuture.completedFuture(leader), () -> {
                    DeleteRecordsRequest request = new DeleteRecordsRequest().setTimeoutMs((int) timeoutMs);
                    Map<String, DeleteRecordsRequest.DeleteRecordsTopic> topics = new LinkedHashMap<>();
                    for (TopicPartition tp : partitions) {
                        topics.computeIfAbsent(tp.topic(), t -> new DeleteRecordsRequest.DeleteRecordsTopic().setName(t))
                                .partitions().add(new DeleteRecordsRequest.DeleteRecordsPartition()
                                        .setPartitionIndex(tp.partition()).setOffset(beforeOffsets.get(tp)));
                    }
                    request.topics().addAll(topics.values());
                    return request;
                }, DeleteRecordsResponse.class, r -> Errors.NONE, deadlineNs).whenComplete((r, failure) -> {
                    if (failure != null) {
                        partitions.forEach(tp -> results.get(tp).completeExceptionally(failure));
                        return;
                    }
                    for (DeleteRecordsResponse.DeleteRecordsTopicResult t : r.topics()) {
                        for (DeleteRecordsResponse.DeleteRecordsPartitionResult p : t.partitions()) {
                            CompletableFuture<Long> future = results.get(new TopicPartition(t.name(), p.partitionIndex()));
                            if (future == null) {
                                continue;
                            }
                            if (p.errorCode() != 0) {
                                future.completeExceptionally(ClientException.of(Errors.forCode(p.errorCode()), null));
                            } else {
                                future.complete(p.lowWatermark());
                            }
                        }
                    }
                    TopicOperations.failMissing(results);
                }));
        return results;
    }

    /** Looks up the leaders, fails partitions without one, and runs {@code perLeader} for each leader's share. */
    private <V> void byLeader(java.util.Collection<TopicPartition> partitions, Map<TopicPartition, CompletableFuture<V>> results,
                              long deadlineNs, java.util.function.BiConsumer<Integer, List<TopicPartition>> perLeader) {
        List<String> topics = partitions.stream().map(TopicPartition::topic).distinct().toList();
        calls.refreshMetadata(topics, deadlineNs).whenComplete((metadata, failure) -> {
            if (failure != null) {
                TopicOperations.failAll(results, failure);
                return;
            }
            Map<TopicPartition, Integer> leaders = new HashMap<>();
            Map<String, Short> topicErrors = new HashMap<>();
            for (MetadataResponse.MetadataResponseTopic t : metadata.topics()) {
                topicErrors.put(t.name(), t.errorCode());
                for (MetadataResponse.MetadataResponsePartition p : t.partitions()) {
                    leaders.put(new TopicPartition(t.name(), p.partitionIndex()), p.leaderId());
                }
            }
            Map<Integer, List<TopicPartition>> grouped = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Integer leader = leaders.get(tp);
                if (leader == null || leader < 0) {
                    short code = topicErrors.getOrDefault(tp.topic(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                    Errors error = code == 0 ? (leader == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.LEADER_NOT_AVAILABLE)
                            : Errors.forCode(code);
                    results.get(tp).completeExceptionally(ClientException.of(error, "Partition " + tp + ": "
                            + error.defaultMessage()));
                } else {
                    grouped.computeIfAbsent(leader, l -> new java.util.ArrayList<>()).add(tp);
                }
            }
            grouped.forEach(perLeader);
        });
    }
}
