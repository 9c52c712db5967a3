package io.fjord.cluster;

import io.fjord.api.TopicPartition;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.NetworkClientConfig;
import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;
import io.fjord.controller.BrokerNode;
import io.fjord.protocol.message.ControlledShutdownRequest;
import io.fjord.protocol.message.ControlledShutdownResponse;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A broker's requests to the active controller on another broker, found in the metadata cache. */
public final class NetworkControllerClient implements ControllerClient {

    private static final short CONTROLLED_SHUTDOWN_VERSION = 3;

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
        BrokerNode node = cache.image().brokers().get(controllerId);
        if (node == null) {
            future.completeExceptionally(new ApiException(Errors.NOT_CONTROLLER,
                    "The controller " + controllerId + " is not a known live broker"));
            return future;
        }
        client.setNode(controllerId, node.host(), node.port());
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
    public void close() {
        client.close(Duration.ofSeconds(5));
    }
}
