package io.fjord.cluster;

import io.fjord.api.TopicPartition;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.controller.BrokerNode;
import io.fjord.cluster.state.PartitionState;
import io.fjord.protocol.message.AlterPartitionRequest;
import io.fjord.protocol.message.AlterPartitionResponse;
import io.fjord.protocol.message.ControlledShutdownRequest;
import io.fjord.protocol.message.ControlledShutdownResponse;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** A broker's requests to the active controller (ControlledShutdown, AlterPartition), found in the metadata cache. */
public final class NetworkControllerClient implements ControllerClient {

    private static final short CONTROLLED_SHUTDOWN_VERSION = 3;
    private static final short ALTER_PARTITION_VERSION = 3;

    private final NetworkClient client;
    private final ClusterMetadataCache cache;

    public NetworkControllerClient(String clientId, ClusterMetadataCache cache, long requestTimeoutMs) {
        this.client = new NetworkClient(NetworkClientConfig.defaults(clientId).withRequestTimeoutMs(requestTimeoutMs)
                .withNegotiateApiVersions(false));
        this.cache = cache;
    }

    @Override
    public CompletableFuture<Set<TopicPartition>> controlledShutdown(int controllerId, int brokerId, long brokerEpoch) {
        CompletableFuture<Set<TopicPartition>> future = new CompletableFuture<>();
        if (!knowsNode(controllerId, future)) {
            return future;
        }
        client.send(controllerId, new ControlledShutdownRequest().setBrokerId(brokerId).setBrokerEpoch(brokerEpoch),
                CONTROLLED_SHUTDOWN_VERSION, (response, error) -> {
                    if (error != null) {
                        future.completeExceptionally(error);
                        return;
                    }
                    ControlledShutdownResponse r = (ControlledShutdownResponse) response;
                    Errors e = Errors.forCode(r.errorCode());
                    if (e != Errors.NONE) {
                        future.completeExceptionally(new ApiException(e, "ControlledShutdown failed: " + e));
                        return;
                    }
                    Set<TopicPartition> remaining = new HashSet<>();
                    r.remainingPartitions().forEach(p -> remaining.add(new TopicPartition(p.topicName(), p.partitionIndex())));
                    future.complete(remaining);
                });
        return future;
    }

    @Override
    public CompletableFuture<PartitionState> alterPartition(int controllerId, int brokerId, long brokerEpoch,
            UUID topicId, int partition, int leaderEpoch, int partitionEpoch, List<Integer> proposedIsr,
            Map<Integer, Long> memberEpochs) {
        CompletableFuture<PartitionState> future = new CompletableFuture<>();
        if (!knowsNode(controllerId, future)) {
            return future;
        }
        AlterPartitionRequest.PartitionData data = new AlterPartitionRequest.PartitionData()
                .setPartitionIndex(partition).setLeaderEpoch(leaderEpoch).setPartitionEpoch(partitionEpoch);
        proposedIsr.forEach(id -> data.newIsrWithEpochs().add(new AlterPartitionRequest.BrokerState().setBrokerId(id)
                .setBrokerEpoch(memberEpochs.getOrDefault(id, -1L))));
        AlterPartitionRequest.TopicData topic = new AlterPartitionRequest.TopicData().setTopicId(topicId);
        topic.partitions().add(data);
        AlterPartitionRequest request = new AlterPartitionRequest().setBrokerId(brokerId).setBrokerEpoch(brokerEpoch);
        request.topics().add(topic);
        client.send(controllerId, request, ALTER_PARTITION_VERSION, (response, error) -> {
            if (error != null) {
                future.completeExceptionally(error);
                return;
            }
            AlterPartitionResponse r = (AlterPartitionResponse) response;
            Errors top = Errors.forCode(r.errorCode());
            if (top != Errors.NONE) {
                future.completeExceptionally(new ApiException(top, "AlterPartition failed: " + top));
                return;
            }
            for (AlterPartitionResponse.TopicData t : r.topics()) {
                for (AlterPartitionResponse.PartitionData p : t.partitions()) {
                    Errors e = Errors.forCode(p.errorCode());
                    if (e != Errors.NONE) {
                        future.completeExceptionally(new ApiException(e, "AlterPartition refused: " + e));
                    } else {
                        future.complete(new PartitionState(p.leaderId(), p.leaderEpoch(), p.isr(), -1,
                                p.partitionEpoch(), p.leaderRecoveryState() == 1));
                    }
                    return;
                }
            }
            future.completeExceptionally(new ApiException(Errors.UNKNOWN_SERVER_ERROR,
                    "AlterPartition answered without the partition"));
        });
        return future;
    }

    private boolean knowsNode(int controllerId, CompletableFuture<?> future) {
        BrokerNode node = cache.image().brokers().get(controllerId);
        if (node == null) {
            future.completeExceptionally(new ApiException(Errors.NOT_CONTROLLER,
                    "The controller " + controllerId + " is not a known live broker"));
            return false;
        }
        client.setNode(controllerId, node.host(), node.port());
        return true;
    }

    @Override
    public void close() {
        client.close(Duration.ofSeconds(5));
    }
}
