package io.fjord.client.admin.internals;

import io.fjord.api.Node;
import io.fjord.client.admin.NewTopic;
import io.fjord.client.admin.TopicDescription;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.CreatePartitionsRequest;
import io.fjord.protocol.message.CreatePartitionsResponse;
import io.fjord.protocol.message.CreateTopicsRequest;
import io.fjord.protocol.message.CreateTopicsResponse;
import io.fjord.protocol.message.DeleteTopicsRequest;
import io.fjord.protocol.message.DeleteTopicsResponse;
import io.fjord.protocol.message.MetadataResponse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** Creating, deleting, listing and describing topics, and adding partitions. */
public final class TopicOperations {

    private final AdminCalls calls;

    public TopicOperations(AdminCalls calls) {
        this.calls = calls;
    }

    public Map<String, CompletableFuture<Void>> create(Collection<NewTopic> topics, boolean validateOnly,
                                                       long timeoutMs, long deadlineNs) {
        Map<String, CompletableFuture<Void>> results = futures(topics.stream().map(NewTopic::name).toList());
        CompletableFuture<CreateTopicsResponse> response = calls.call("CreateTopics", AdminCalls.CONTROLLER, () -> {
            CreateTopicsRequest request = new CreateTopicsRequest().setTimeoutMs((int) timeoutMs).setValidateOnly(validateOnly);
            for (NewTopic topic : topics) {
                CreateTopicsRequest.CreatableTopic creatable = new CreateTopicsRequest.CreatableTopic()
                        .setName(topic.name()).setNumPartitions(topic.partitions())
                        .setReplicationFactor(topic.replicationFactor());
                topic.replicasAssignments().forEach((p, brokers) -> creatable.assignments().add(
                        new CreateTopicsRequest.CreatableReplicaAssignment().setPartitionIndex(p)
                                .setBrokerIds(new ArrayList<>(brokers))));
                topic.configs().forEach((k, v) -> creatable.configs().add(
                        new CreateTopicsRequest.CreatableTopicConfig().setName(k).setValue(v)));
                request.topics().add(creatable);
            }
            return request;
        }, CreateTopicsResponse.class, r -> notController(r.topics().stream().map(t -> t.errorCode()).toList()), deadlineNs);
        response.whenComplete((r, failure) -> {
            if (failure != null) {
                failAll(results, failure);
                return;
            }
            for (CreateTopicsResponse.CreatableTopicResult t : r.topics()) {
                complete(results.get(t.name()), t.errorCode(), t.errorMessage());
            }
            failMissing(results);
        });
        return results;
    }

    public Map<String, CompletableFuture<Void>> delete(Collection<String> topics, long timeoutMs, long deadlineNs) {
        Map<String, CompletableFuture<Void>> results = futures(topics);
        calls.call("DeleteTopics", AdminCalls.CONTROLLER, () -> {
            DeleteTopicsRequest request = new DeleteTopicsRequest().setTimeoutMs((int) timeoutMs)
                    .setTopicNames(new ArrayList<>(topics));
            // Version 6 names topics in structs; the writer picks the layout of the version sent.
            topics.forEach(t -> request.topics().add(new DeleteTopicsRequest.DeleteTopicState().setName(t)));
            return request;
        }, DeleteTopicsResponse.class, r -> notController(r.responses().stream().map(t -> t.errorCode()).toList()),
                deadlineNs).whenComplete((r, failure) -> {
                    if (failure != null) {
                        failAll(results, failure);
                        return;
                    }
                    for (DeleteTopicsResponse.DeletableTopicResult t : r.responses()) {
                        complete(results.get(t.name()), t.errorCode(), t.errorMessage());
                    }
                    failMissing(results);
                });
        return results;
    }

    public CompletableFuture<Set<String>> list(boolean includeInternal, long deadlineNs) {
        return calls.call("Metadata", AdminCalls.ANY, () -> new io.fjord.protocol.message.MetadataRequest().setTopics(null),
                MetadataResponse.class, r -> Errors.NONE, deadlineNs).thenApply(r -> {
                    Set<String> names = new TreeSet<>();
                    for (MetadataResponse.MetadataResponseTopic t : r.topics()) {
                        if (t.errorCode() == 0 && (includeInternal || !t.isInternal())) {
                            names.add(t.name());
                        }
                    }
                    return names;
                });
    }

    public Map<String, CompletableFuture<TopicDescription>> describe(Collection<String> topics, long deadlineNs) {
        Map<String, CompletableFuture<TopicDescription>> results = futures(topics);
        calls.refreshMetadata(List.copyOf(topics), deadlineNs).whenComplete((r, failure) -> {
            if (failure != null) {
                failAll(results, failure);
                return;
            }
            Map<Integer, Node> brokers = calls.brokers();
            for (MetadataResponse.MetadataResponseTopic t : r.topics()) {
                CompletableFuture<TopicDescription> future = results.get(t.name());
                if (future == null) {
                    continue;
                }
                if (t.errorCode() != 0) {
                    future.completeExceptionally(ClientException.of(Errors.forCode(t.errorCode()),
                            "Topic " + t.name() + ": " + Errors.forCode(t.errorCode()).defaultMessage()));
                    continue;
                }
                List<TopicDescription.Partition> partitions = new ArrayList<>();
                for (MetadataResponse.MetadataResponsePartition p : t.partitions()) {
                    partitions.add(new TopicDescription.Partition(p.partitionIndex(),
                            Optional.ofNullable(brokers.get(p.leaderId())), nodes(p.replicaNodes(), brokers),
                            nodes(p.isrNodes(), brokers)));
                }
                partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
                future.complete(new TopicDescription(t.name(), t.isInternal(), t.topicId(), List.copyOf(partitions)));
            }
            failMissing(results);
        });
        return results;
    }

    public Map<String, CompletableFuture<Void>> createPartitions(Map<String, Integer> totalCounts, boolean validateOnly,
                                                                 long timeoutMs, long deadlineNs) {
        Map<String, CompletableFuture<Void>> results = futures(totalCounts.keySet());
        calls.call("CreatePartitions", AdminCalls.CONTROLLER, () -> {
            CreatePartitionsRequest request = new CreatePartitionsRequest().setTimeoutMs((int) timeoutMs)
                    .setValidateOnly(validateOnly);
            totalCounts.forEach((topic, count) -> request.topics().add(new CreatePartitionsRequest.CreatePartitionsTopic()
                    .setName(topic).setCount(count).setAssignments(null)));
            return request;
        }, CreatePartitionsResponse.class, r -> notController(r.results().stream().map(t -> t.errorCode()).toList()),
                deadlineNs).whenComplete((r, failure) -> {
                    if (failure != null) {
                        failAll(results, failure);
                        return;
                    }
                    for (CreatePartitionsResponse.CreatePartitionsTopicResult t : r.results()) {
                        complete(results.get(t.name()), t.errorCode(), t.errorMessage());
                    }
                    failMissing(results);
                });
        return results;
    }

    private static List<Node> nodes(List<Integer> ids, Map<Integer, Node> brokers) {
        List<Node> nodes = new ArrayList<>();
        for (int id : ids) {
            nodes.add(brokers.getOrDefault(id, new Node(id, "", -1)));
        }
        return List.copyOf(nodes);
    }

    /** NOT_CONTROLLER on any item means the whole request went to the wrong broker: ask again. */
    static Errors notController(List<Short> codes) {
        return codes.contains(Errors.NOT_CONTROLLER.code()) ? Errors.NOT_CONTROLLER : Errors.NONE;
    }

    static <K, V> Map<K, CompletableFuture<V>> futures(Collection<K> keys) {
        Map<K, CompletableFuture<V>> futures = new LinkedHashMap<>();
        for (K key : keys) {
            futures.put(key, new CompletableFuture<>());
        }
        return futures;
    }

    static void complete(CompletableFuture<Void> future, short code, String message) {
        if (future == null) {
            return;
        }
        if (code == 0) {
            future.complete(null);
        } else {
            future.completeExceptionally(ClientException.of(Errors.forCode(code), message));
        }
    }

    static <K, V> void failAll(Map<K, CompletableFuture<V>> futures, Throwable failure) {
        futures.values().forEach(f -> f.completeExceptionally(failure));
    }

    static <K, V> void failMissing(Map<K, CompletableFuture<V>> futures) {
        futures.forEach((key, f) -> f.completeExceptionally(new ClientException(Errors.UNKNOWN_SERVER_ERROR,
                "The broker's response did not mention " + key)));
    }
}
