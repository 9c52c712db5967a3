package io.fjord.client.admin.internals;

import io.fjord.api.TopicPartition;
import io.fjord.client.admin.ElectionType;
import io.fjord.client.admin.LogDirDescription;
import io.fjord.client.admin.PartitionReassignment;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.AlterPartitionReassignmentsRequest;
import io.fjord.protocol.message.AlterPartitionReassignmentsResponse;
import io.fjord.protocol.message.DescribeLogDirsRequest;
import io.fjord.protocol.message.DescribeLogDirsResponse;
import io.fjord.protocol.message.ElectLeadersRequest;
import io.fjord.protocol.message.ElectLeadersResponse;
import io.fjord.protocol.message.ListPartitionReassignmentsRequest;
import io.fjord.protocol.message.ListPartitionReassignmentsResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Where replicas live and which one leads: leader elections and partition reassignments (sent to
 * the active controller, asked again on NOT_CONTROLLER), and each broker's log dirs.
 */
public final class ReplicaOperations {

    private final AdminCalls calls;

    public ReplicaOperations(AdminCalls calls) {
        this.calls = calls;
    }

    /** Per partition, empty when the election succeeded, else its failure (ELECTION_NOT_NEEDED and the like). */
    public CompletableFuture<Map<TopicPartition, Optional<Throwable>>> electLeaders(ElectionType type,
                                                                                  Set<TopicPartition> partitions,
                                                                                  long timeoutMs, long deadlineNs) {
        return calls.call("ElectLeaders", AdminCalls.CONTROLLER, () -> new ElectLeadersRequest()
                        .setElectionType(type.value()).setTimeoutMs((int) timeoutMs)
                        .setTopicPartitions(partitions == null ? null : byTopic(partitions)),
                ElectLeadersResponse.class, r -> notController(r.errorCode(), r.replicaElectionResults().stream()
                        .flatMap(t -> t.partitionResult().stream().map(p -> p.errorCode()))), deadlineNs)
                .thenApply(r -> {
                    if (r.errorCode() != 0) {
                        throw ClientException.of(Errors.forCode(r.errorCode()), null);
                    }
                    Map<TopicPartition, Optional<Throwable>> results = new TreeMap<>();
                    for (ElectLeadersResponse.ReplicaElectionResult t : r.replicaElectionResults()) {
                        for (ElectLeadersResponse.PartitionResult p : t.partitionResult()) {
                            results.put(new TopicPartition(t.topic(), p.partitionId()), p.errorCode() == 0 ? Optional.empty()
                                    : Optional.of(ClientException.of(Errors.forCode(p.errorCode()), p.errorMessage())));
                        }
                    }
                    return results;
                });
    }

    /** Moves each partition to the given replicas, or cancels its reassignment when the Optional is empty. */
    public Map<TopicPartition, CompletableFuture<Void>> alterReassignments(
            Map<TopicPartition, Optional<List<Integer>>> targets, long timeoutMs, long deadlineNs) {
        Map<TopicPartition, CompletableFuture<Void>> results = TopicOperations.futures(targets.keySet());
        calls.call("AlterPartitionReassignments", AdminCalls.CONTROLLER, () -> {
            AlterPartitionReassignmentsRequest request = new AlterPartitionReassignmentsRequest()
                    .setTimeoutMs((int) timeoutMs).setAllowReplicationFactorChange(true);
            Map<String, AlterPartitionReassignmentsRequest.ReassignableTopic> topics = new TreeMap<>();
            targets.forEach((tp, replicas) -> topics.computeIfAbsent(tp.topic(),
                            name -> new AlterPartitionReassignmentsRequest.ReassignableTopic().setName(name))
                    .partitions().add(new AlterPartitionReassignmentsRequest.ReassignablePartition()
                            .setPartitionIndex(tp.partition()).setReplicas(replicas.map(ArrayList::new).orElse(null))));
            request.topics().addAll(topics.values());
            return request;
        }, AlterPartitionReassignmentsResponse.class, r -> notController(r.errorCode(), r.responses().stream()
                .flatMap(t -> t.partitions().stream().map(p -> p.errorCode()))), deadlineNs).whenComplete((r, failure) -> {
                    if (failure != null) {
                        TopicOperations.failAll(results, failure);
                        return;
                    }
                    if (r.errorCode() != 0) {
                        TopicOperations.failAll(results, ClientException.of(Errors.forCode(r.errorCode()), r.errorMessage()));
                        return;
                    }
                    for (AlterPartitionReassignmentsResponse.ReassignableTopicResponse t : r.responses()) {
                        for (AlterPartitionReassignmentsResponse.ReassignablePartitionResponse p : t.partitions()) {
                            TopicOperations.complete(results.get(new TopicPartition(t.name(), p.partitionIndex())),
                                    p.errorCode(), p.errorMessage());
                        }
                    }
                    TopicOperations.failMissing(results);
                });
        return results;
    }

    /** The reassignments in progress among {@code partitions}, or all of them when null. */
    public CompletableFuture<Map<TopicPartition, PartitionReassignment>> listReassignments(
            Set<TopicPartition> partitions, long timeoutMs, long deadlineNs) {
        return calls.call("ListPartitionReassignments", AdminCalls.CONTROLLER, () -> {
            ListPartitionReassignmentsRequest request = new ListPartitionReassignmentsRequest().setTimeoutMs((int) timeoutMs);
            // Null topics (the default of this nullable field) ask for every reassignment.
            if (partitions != null) {
                request.setTopics(byTopic(partitions).stream().map(t -> new ListPartitionReassignmentsRequest
                        .ListPartitionReassignmentsTopics().setName(t.topic()).setPartitionIndexes(t.partitions())).toList());
            }
            return request;
        }, ListPartitionReassignmentsResponse.class, r -> notController(r.errorCode(), Stream.empty()), deadlineNs)
                .thenApply(r -> {
                    if (r.errorCode() != 0) {
                        throw ClientException.of(Errors.forCode(r.errorCode()), r.errorMessage());
                    }
                    Map<TopicPartition, PartitionReassignment> ongoing = new TreeMap<>();
                    for (ListPartitionReassignmentsResponse.OngoingTopicReassignment t : r.topics()) {
                        for (ListPartitionReassignmentsResponse.OngoingPartitionReassignment p : t.partitions()) {
                            ongoing.put(new TopicPartition(t.name(), p.partitionIndex()), new PartitionReassignment(
                                    p.replicas(), p.addingReplicas(), p.removingReplicas()));
                        }
                    }
                    return ongoing;
                });
    }

    /** Each broker's log dirs by path, asked of that broker. */
    public Map<Integer, CompletableFuture<Map<String, LogDirDescription>>> describeLogDirs(Collection<Integer> brokers,
                                                                                           long deadlineNs) {
        Map<Integer, CompletableFuture<Map<String, LogDirDescription>>> results = TopicOperations.futures(brokers);
        results.forEach((id, future) -> calls.call("DescribeLogDirs", broker(id),
                        // Null topics: every partition of every dir.
                        () -> new DescribeLogDirsRequest().setTopics(null), DescribeLogDirsResponse.class,
                        r -> AdminCalls.retriableOrNone(r.errorCode()), deadlineNs)
                .whenComplete((r, failure) -> {
                    if (failure != null) {
                        future.completeExceptionally(failure);
                    } else if (r.errorCode() != 0) {
                        future.completeExceptionally(ClientException.of(Errors.forCode(r.errorCode()), null));
                    } else {
                        future.complete(logDirs(r));
                    }
                }));
        return results;
    }

    private static Map<String, LogDirDescription> logDirs(DescribeLogDirsResponse response) {
        Map<String, LogDirDescription> dirs = new TreeMap<>();
        for (DescribeLogDirsResponse.DescribeLogDirsResult dir : response.results()) {
            Map<TopicPartition, LogDirDescription.ReplicaInfo> replicas = new HashMap<>();
            for (DescribeLogDirsResponse.DescribeLogDirsTopic t : dir.topics()) {
                for (DescribeLogDirsResponse.DescribeLogDirsPartition p : t.partitions()) {
                    replicas.put(new TopicPartition(t.name(), p.partitionIndex()),
                            new LogDirDescription.ReplicaInfo(p.partitionSize(), p.offsetLag(), p.isFutureKey()));
                }
            }
            dirs.put(dir.logDir(), new LogDirDescription(Errors.forCode(dir.errorCode()), replicas, dir.totalBytes(),
                    dir.usableBytes()));
        }
        return dirs;
    }

    /** The broker {@code id}, looked up in metadata when it is not known yet. */
    private static AdminCalls.NodeChoice broker(int id) {
        return (calls, deadline) -> {
            if (calls.brokers().containsKey(id)) {
                return CompletableFuture.completedFuture(id);
            }
            return calls.refreshMetadata(List.of(), deadline).thenApply(m -> {
                if (!calls.brokers().containsKey(id)) {
                    throw new ClientException(Errors.BROKER_NOT_AVAILABLE, "Broker " + id + " is not in the cluster");
                }
                return id;
            });
        };
    }

    private static List<ElectLeadersRequest.TopicPartitions> byTopic(Set<TopicPartition> partitions) {
        Map<String, ElectLeadersRequest.TopicPartitions> topics = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            topics.computeIfAbsent(tp.topic(), name -> new ElectLeadersRequest.TopicPartitions().setTopic(name))
                    .partitions().add(tp.partition());
        }
        return new ArrayList<>(topics.values());
    }

    /** NOT_CONTROLLER at the top or on any partition: the request went to a broker that is not the controller. */
    private static Errors notController(short topLevel, Stream<Short> partitionCodes) {
        if (topLevel == Errors.NOT_CONTROLLER.code() || partitionCodes.anyMatch(c -> c == Errors.NOT_CONTROLLER.code())) {
            return Errors.NOT_CONTROLLER;
        }
        return Errors.NONE;
    }
}
