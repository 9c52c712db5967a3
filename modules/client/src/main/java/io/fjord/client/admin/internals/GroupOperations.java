package io.fjord.client.admin.internals;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.client.admin.GroupDescription;
import io.fjord.client.admin.GroupListing;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.DeleteGroupsRequest;
import io.fjord.protocol.message.DeleteGroupsResponse;
import io.fjord.protocol.message.DescribeGroupsRequest;
import io.fjord.protocol.message.DescribeGroupsResponse;
import io.fjord.protocol.message.ListGroupsRequest;
import io.fjord.protocol.message.ListGroupsResponse;
import io.fjord.protocol.message.OffsetCommitRequest;
import io.fjord.protocol.message.OffsetCommitResponse;
import io.fjord.protocol.message.OffsetDeleteRequest;
import io.fjord.protocol.message.OffsetDeleteResponse;
import io.fjord.protocol.message.OffsetFetchRequest;
import io.fjord.protocol.message.OffsetFetchResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer-group operations: list (every broker), describe, list, alter and delete offsets,
 * delete groups (each at the group's coordinator). Coordinator moves and loads are retried.
 */
public final class GroupOperations {

    private final AdminCalls calls;

    public GroupOperations(AdminCalls calls) {
        this.calls = calls;
    }

    public CompletableFuture<List<GroupListing>> list(long deadlineNs) {
        return calls.refreshMetadata(List.of(), deadlineNs).thenCompose(metadata -> {
            List<CompletableFuture<ListGroupsResponse>> perBroker = new ArrayList<>();
            for (int broker : calls.brokers().keySet()) {
                perBroker.add(calls.call("ListGroups", (c, d) -> CompletableFuture.completedFuture(broker),
                        ListGroupsRequest::new, ListGroupsResponse.class, r -> AdminCalls.retriableOrNone(r.errorCode()),
                        deadlineNs));
            }
            return CompletableFuture.allOf(perBroker.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<GroupListing> groups = new ArrayList<>();
                for (CompletableFuture<ListGroupsResponse> f : perBroker) {
                    ListGroupsResponse response = f.join();
                    if (response.errorCode() != 0) {
                        throw ClientException.of(Errors.forCode(response.errorCode()), null);
                    }
                    for (ListGroupsResponse.ListedGroup g : response.groups()) {
                        groups.add(new GroupListing(g.groupId(), g.protocolType(), g.groupState(), g.groupType()));
                    }
                }
                return List.copyOf(groups);
            });
        });
    }

    public Map<String, CompletableFuture<GroupDescription>> describe(Collection<String> groups, long deadlineNs) {
        Map<String, CompletableFuture<GroupDescription>> results = TopicOperations.futures(groups);
        for (String group : groups) {
            calls.call("DescribeGroups", AdminCalls.coordinator(group),
                    () -> new DescribeGroupsRequest().setGroups(List.of(group)), DescribeGroupsResponse.class,
                    r -> r.groups().isEmpty() ? Errors.NONE : AdminCalls.retriableOrNone(r.groups().get(0).errorCode()),
                    deadlineNs).whenComplete((r, failure) -> {
                        CompletableFuture<GroupDescription> future = results.get(group);
                        if (failure != null) {
                            future.completeExceptionally(failure);
                            return;
                        }
                        DescribeGroupsResponse.DescribedGroup g = r.groups().get(0);
                        if (g.errorCode() != 0) {
                            future.completeExceptionally(ClientException.of(Errors.forCode(g.errorCode()), g.errorMessage()));
                            return;
                        }
                        List<GroupDescription.Member> members = new ArrayList<>();
                        for (DescribeGroupsResponse.DescribedGroupMember m : g.members()) {
                            members.add(new GroupDescription.Member(m.memberId(), m.groupInstanceId(), m.clientId(),
                                    m.clientHost(), bytes(m.memberMetadata()), bytes(m.memberAssignment())));
                        }
                        future.complete(new GroupDescription(g.groupId(), g.groupState(), g.protocolType(),
                                g.protocolData(), List.copyOf(members)));
                    });
        }
        return results;
    }

    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listOffsets(String group, long deadlineNs) {
        return calls.call("OffsetFetch", AdminCalls.coordinator(group), () -> new OffsetFetchRequest()
                        .setGroupId(group).setTopics(null)
                        .setGroups(List.of(new OffsetFetchRequest.OffsetFetchRequestGroup().setGroupId(group).setTopics(null))),
                OffsetFetchResponse.class, r -> AdminCalls.retriableOrNone(topLevelError(r)), deadlineNs)
                .thenApply(r -> {
                    short error = topLevelError(r);
                    if (error != 0) {
                        throw ClientException.of(Errors.forCode(error), "Group " + group);
                    }
                    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
                    if (!r.groups().isEmpty()) {
                        for (OffsetFetchResponse.OffsetFetchResponseTopics t : r.groups().get(0).topics()) {
                            for (OffsetFetchResponse.OffsetFetchResponsePartitions p : t.partitions()) {
                                put(offsets, t.name(), p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(),
                                        p.metadata(), p.errorCode());
                            }
                        }
                    } else {
                        for (OffsetFetchResponse.OffsetFetchResponseTopic t : r.topics()) {
                            for (OffsetFetchResponse.OffsetFetchResponsePartition p : t.partitions()) {
                                put(offsets, t.name(), p.partitionIndex(), p.committedOffset(), p.committedLeaderEpoch(),
                                        p.metadata(), p.errorCode());
                            }
                        }
                    }
                    return offsets;
                });
    }

    private static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    private static void put(Map<TopicPartition, OffsetAndMetadata> offsets, String topic, int partition, long offset,
                            int epoch, String metadata, short error) {
        if (error == 0 && offset >= 0) {
            offsets.put(new TopicPartition(topic, partition),
                    new OffsetAndMetadata(offset, epoch < 0 ? Optional.empty() : Optional.of(epoch), metadata));
        }
    }

    private static short topLevelError(OffsetFetchResponse r) {
        return r.groups().isEmpty() ? r.errorCode() : r.groups().get(0).errorCode();
    }

    /** Commits offsets for an empty group, as Kafka's admin does (generation -1, no member). */
    public CompletableFuture<Map<TopicPartition, Errors>> alterOffsets(String group, Map<TopicPartition, OffsetAndMetadata> offsets,
                                                                       long deadlineNs) {
        return calls.call("OffsetCommit", AdminCalls.coordinator(group), () -> {
            OffsetCommitRequest request = new OffsetCommitRequest().setGroupId(group).setGenerationIdOrMemberEpoch(-1)
                    .setMemberId("");
            Map<String, OffsetCommitRequest.OffsetCommitRequestTopic> topics = new LinkedHashMap<>();
            offsets.forEach((tp, o) -> topics.computeIfAbsent(tp.topic(),
                    t -> new OffsetCommitRequest.OffsetCommitRequestTopic().setName(t)).partitions().add(
                    new OffsetCommitRequest.OffsetCommitRequestPartition().setPartitionIndex(tp.partition())
                            .setCommittedOffset(o.offset()).setCommittedLeaderEpoch(o.leaderEpoch().orElse(-1))
                            .setCommittedMetadata(o.metadata())));
            request.topics().addAll(topics.values());
            return request;
        }, OffsetCommitResponse.class, r -> coordinatorError(r.topics().stream()
                .flatMap(t -> t.partitions().stream()).map(p -> p.errorCode()).toList()), deadlineNs).thenApply(r -> {
                    Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
                    for (OffsetCommitResponse.OffsetCommitResponseTopic t : r.topics()) {
                        for (OffsetCommitResponse.OffsetCommitResponsePartition p : t.partitions()) {
                            errors.put(new TopicPartition(t.name(), p.partitionIndex()), Errors.forCode(p.errorCode()));
                        }
                    }
                    return errors;
                });
    }

    public CompletableFuture<Map<TopicPartition, Errors>> deleteOffsets(String group, Collection<TopicPartition> partitions,
                                                                        long deadlineNs) {
        return calls.call("OffsetDelete", AdminCalls.coordinator(group), () -> {
            OffsetDeleteRequest request = new OffsetDeleteRequest().setGroupId(group);
            Map<String, OffsetDeleteRequest.OffsetDeleteRequestTopic> topics = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) {
                topics.computeIfAbsent(tp.topic(), t -> new OffsetDeleteRequest.OffsetDeleteRequestTopic().setName(t))
                        .partitions().add(new OffsetDeleteRequest.OffsetDeleteRequestPartition().setPartitionIndex(tp.partition()));
            }
            request.topics().addAll(topics.values());
            return request;
        }, OffsetDeleteResponse.class, r -> AdminCalls.retriableOrNone(r.errorCode()), deadlineNs).thenApply(r -> {
            if (r.errorCode() != 0) {
                throw ClientException.of(Errors.forCode(r.errorCode()), "Group " + group);
            }
            Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
            for (OffsetDeleteResponse.OffsetDeleteResponseTopic t : r.topics()) {
                for (OffsetDeleteResponse.OffsetDeleteResponsePartition p : t.partitions()) {
                    errors.put(new TopicPartition(t.name(), p.partitionIndex()), Errors.forCode(p.errorCode()));
                }
            }
            return errors;
        });
    }

    public Map<String, CompletableFuture<Void>> delete(Collection<String> groups, long deadlineNs) {
        Map<String, CompletableFuture<Void>> results = TopicOperations.futures(groups);
        for (String group : groups) {
            calls.call("DeleteGroups", AdminCalls.coordinator(group),
                    () -> new DeleteGroupsRequest().setGroupsNames(List.of(group)), DeleteGroupsResponse.class,
                    r -> r.results().isEmpty() ? Errors.NONE : coordinatorError(List.of(r.results().get(0).errorCode())),
                    deadlineNs).whenComplete((r, failure) -> {
                        if (failure != null) {
                            results.get(group).completeExceptionally(failure);
                        } else if (r.results().isEmpty()) {
                            TopicOperations.failMissing(Map.of(group, results.get(group)));
                        } else {
                            TopicOperations.complete(results.get(group), r.results().get(0).errorCode(), "Group " + group);
                        }
                    });
        }
        return results;
    }

    /** A coordinator error among {@code codes} (the call is then asked again), or NONE. */
    private static Errors coordinatorError(List<Short> codes) {
        for (short code : codes) {
            Errors error = Errors.forCode(code);
            if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE
                    || error == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                return error;
            }
        }
        return Errors.NONE;
    }
}
