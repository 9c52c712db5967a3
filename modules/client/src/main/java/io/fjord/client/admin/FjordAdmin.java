package io.fjord.client.admin;

import io.fjord.api.ConfigException;
import io.fjord.api.Node;
import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.client.admin.internals.AdminCalls;
import io.fjord.client.admin.internals.ConfigOperations;
import io.fjord.client.admin.internals.GroupOperations;
import io.fjord.client.admin.internals.OffsetOperations;
import io.fjord.client.admin.internals.ReplicaOperations;
import io.fjord.client.admin.internals.TopicOperations;
import io.fjord.client.errors.ClientException;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.DescribeClusterRequest;
import io.fjord.protocol.message.DescribeClusterResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Fjord's admin client: topics, partitions, replicas, configs, offsets, records, the cluster and consumer
 * groups, over the shared network client. Every operation returns at once with futures (one per
 * item where Kafka's admin has one), completed with the result or with the broker's error as a
 * {@link ClientException} carrying Kafka's code (or a {@link io.fjord.client.errors.TimeoutException}
 * once {@code default.api.timeout.ms} passes while retrying lost connections and moved coordinators).
 *
 * <p>Configuration: Kafka's admin keys {@code bootstrap.servers}, {@code client.id},
 * {@code request.timeout.ms} (30 s), {@code default.api.timeout.ms} (60 s), {@code retry.backoff.ms}
 * (100 ms). Thread-safe.
 */
public final class FjordAdmin implements AutoCloseable {

    private final NetworkClient client;
    private final AdminCalls calls;
    private final TopicOperations topics;
    private final ConfigOperations configs;
    private final OffsetOperations offsets;
    private final GroupOperations groups;
    private final ReplicaOperations replicas;
    private final long apiTimeoutMs;
    private final long requestTimeoutMs;

    public FjordAdmin(Map<String, ?> config) {
        Object servers = config.get("bootstrap.servers");
        if (servers == null || String.valueOf(servers).isBlank()) {
            throw new ConfigException("bootstrap.servers must name at least one host:port");
        }
        this.requestTimeoutMs = number(config, "request.timeout.ms", 30_000);
        this.apiTimeoutMs = number(config, "default.api.timeout.ms", 60_000);
        Object clientId = config.get("client.id");
        this.client = new NetworkClient(NetworkClientConfig.defaults(clientId == null ? "fjord-admin" : clientId.toString())
                .withRequestTimeoutMs(requestTimeoutMs).withMaxInFlightPerConnection(100));
        List<String> bootstrap = new ArrayList<>();
        for (String server : String.valueOf(servers).split(",")) {
            if (!server.isBlank()) {
                bootstrap.add(server.trim());
            }
        }
        int[] ids = new int[bootstrap.size()];
        for (int i = 0; i < ids.length; i++) {
            String server = bootstrap.get(i);
            int colon = server.lastIndexOf(':');
            if (colon <= 0) {
                client.close(Duration.ZERO);
                throw new ConfigException("Invalid bootstrap server " + server + ": not host:port");
            }
            ids[i] = -(i + 1);
            client.setNode(ids[i], server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
        }
        this.calls = new AdminCalls(client, ids, number(config, "retry.backoff.ms", 100));
        this.topics = new TopicOperations(calls);
        this.configs = new ConfigOperations(calls);
        this.offsets = new OffsetOperations(calls);
        this.groups = new GroupOperations(calls);
        this.replicas = new ReplicaOperations(calls);
    }

    private static long number(Map<String, ?> config, String key, long defaultValue) {
        Object value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid value " + value + " for " + key + ": not a number");
        }
    }

    private long deadline() {
        return System.nanoTime() + apiTimeoutMs * 1_000_000L;
    }

    // ---- topics ----------------------------------------------------------------------------------

    public Map<String, CompletableFuture<Void>> createTopics(Collection<NewTopic> newTopics) {
        return topics.create(newTopics, false, requestTimeoutMs, deadline());
    }

    /** Checks the topics could be created, without creating them. */
    public Map<String, CompletableFuture<Void>> validateTopics(Collection<NewTopic> newTopics) {
        return topics.create(newTopics, true, requestTimeoutMs, deadline());
    }

    public Map<String, CompletableFuture<Void>> deleteTopics(Collection<String> names) {
        return topics.delete(names, requestTimeoutMs, deadline());
    }

    /** Topic names; internal topics such as {@code __consumer_offsets} only if asked. */
    public CompletableFuture<Set<String>> listTopics(boolean includeInternal) {
        return topics.list(includeInternal, deadline());
    }

    public Map<String, CompletableFuture<TopicDescription>> describeTopics(Collection<String> names) {
        return topics.describe(names, deadline());
    }

    /** Raises each topic's partition count to the given total. */
    public Map<String, CompletableFuture<Void>> createPartitions(Map<String, Integer> newTotalCounts) {
        return topics.createPartitions(newTotalCounts, false, requestTimeoutMs, deadline());
    }

    // ---- configs ---------------------------------------------------------------------------------

    public Map<ConfigResource, CompletableFuture<List<ConfigEntry>>> describeConfigs(Collection<ConfigResource> resources) {
        return configs.describe(resources, deadline());
    }

    /** Sets, deletes, appends to or subtracts from single keys, leaving the others as they are. */
    public Map<ConfigResource, CompletableFuture<Void>> incrementalAlterConfigs(
            Map<ConfigResource, List<AlterConfigOp>> changes) {
        return configs.alterIncrementally(changes, false, deadline());
    }

    /** Replaces each resource's whole set of overrides with the given one (Kafka's AlterConfigs). */
    public Map<ConfigResource, CompletableFuture<Void>> alterConfigs(Map<ConfigResource, Map<String, String>> configsByResource) {
        return configs.alterWhole(configsByResource, false, deadline());
    }

    // ---- offsets and records -----------------------------------------------------------------------

    public Map<TopicPartition, CompletableFuture<ListedOffset>> listOffsets(Map<TopicPartition, OffsetSpec> specs) {
        return offsets.listOffsets(specs, deadline());
    }

    /** Deletes records before the given offsets; each future gives the partition's new low watermark. */
    public Map<TopicPartition, CompletableFuture<Long>> deleteRecords(Map<TopicPartition, Long> beforeOffsets) {
        return offsets.deleteRecords(beforeOffsets, requestTimeoutMs, deadline());
    }

    // ---- cluster -------------------------------------------------------------------------------------

    public CompletableFuture<ClusterDescription> describeCluster() {
        return calls.call("DescribeCluster", AdminCalls.ANY, DescribeClusterRequest::new, DescribeClusterResponse.class,
                r -> AdminCalls.retriableOrNone(r.errorCode()), deadline()).thenApply(r -> {
                    if (r.errorCode() != 0) {
                        throw ClientException.of(Errors.forCode(r.errorCode()), r.errorMessage());
                    }
                    List<Node> nodes = new ArrayList<>();
                    Optional<Node> controller = Optional.empty();
                    for (DescribeClusterResponse.DescribeClusterBroker b : r.brokers()) {
                        Node node = new Node(b.brokerId(), b.host(), b.port(), Optional.ofNullable(b.rack()));
                        nodes.add(node);
                        if (b.brokerId() == r.controllerId()) {
                            controller = Optional.of(node);
                        }
                    }
                    return new ClusterDescription(r.clusterId(), controller, List.copyOf(nodes));
                });
    }

    // ---- replicas -------------------------------------------------------------------------------------

    /**
     * Elects leaders of the given partitions (null: every partition), through the controller. Per
     * partition, empty on success, else the failure, such as ELECTION_NOT_NEEDED when the wanted
     * leader already leads.
     */
    public CompletableFuture<Map<TopicPartition, Optional<Throwable>>> electLeaders(ElectionType type,
                                                                                  Set<TopicPartition> partitions) {
        return replicas.electLeaders(type, partitions, requestTimeoutMs, deadline());
    }

    /** Moves each partition to the given replicas, the first preferred; an empty Optional cancels its reassignment. */
    public Map<TopicPartition, CompletableFuture<Void>> alterPartitionReassignments(
            Map<TopicPartition, Optional<List<Integer>>> reassignments) {
        return replicas.alterReassignments(reassignments, requestTimeoutMs, deadline());
    }

    /** The reassignments in progress among the given partitions (null: all of them). */
    public CompletableFuture<Map<TopicPartition, PartitionReassignment>> listPartitionReassignments(
            Set<TopicPartition> partitions) {
        return replicas.listReassignments(partitions, requestTimeoutMs, deadline());
    }

    /** Each broker's log dirs, keyed by path, asked of that broker. */
    public Map<Integer, CompletableFuture<Map<String, LogDirDescription>>> describeLogDirs(Collection<Integer> brokers) {
        return replicas.describeLogDirs(brokers, deadline());
    }

    // ---- groups --------------------------------------------------------------------------------------

    public CompletableFuture<List<GroupListing>> listGroups() {
        return groups.list(deadline());
    }

    public Map<String, CompletableFuture<GroupDescription>> describeGroups(Collection<String> groupIds) {
        return groups.describe(groupIds, deadline());
    }

    /** The group's committed offsets. */
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listGroupOffsets(String groupId) {
        return groups.listOffsets(groupId, deadline());
    }

    /** Commits offsets for a group with no active members; per partition, the broker's answer. */
    public CompletableFuture<Map<TopicPartition, Errors>> alterGroupOffsets(String groupId,
                                                                            Map<TopicPartition, OffsetAndMetadata> offsets) {
        return groups.alterOffsets(groupId, offsets, deadline());
    }

    /** Deletes the group's offsets of these partitions; per partition, the broker's answer. */
    public CompletableFuture<Map<TopicPartition, Errors>> deleteGroupOffsets(String groupId,
                                                                             Collection<TopicPartition> partitions) {
        return groups.deleteOffsets(groupId, partitions, deadline());
    }

    public Map<String, CompletableFuture<Void>> deleteGroups(Collection<String> groupIds) {
        return groups.delete(groupIds, deadline());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Fails whatever is still in flight and closes the connections. */
    public void close(Duration timeout) {
        client.close(timeout);
    }
}
