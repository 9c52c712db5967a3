package io.fjord.client.consumer.internals;

import io.fjord.client.network.NetworkClient;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.FindCoordinatorRequest;
import io.fjord.protocol.message.FindCoordinatorResponse;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The connection to the group's coordinator: found with FindCoordinator, on a network client of
 * its own whose request timeout covers a JoinGroup held for a whole rebalance, and forgotten when
 * a request says it moved (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, a broken connection), so
 * the next use looks it up again.
 *
 * <p>Thread-safe: the application's thread, the heartbeat thread and response handlers use it.
 */
public final class GroupCoordinatorClient {

    private final String groupId;
    private final ConsumerMetadata metadata;
    private final ConsumerNetwork network;
    private final NetworkClient client;
    private int coordinator = -1;
    private CompletableFuture<FindCoordinatorResponse> lookup;

    public GroupCoordinatorClient(String groupId, ConsumerMetadata metadata, ConsumerNetwork network,
                                  NetworkClient client) {
        this.groupId = groupId;
        this.metadata = metadata;
        this.network = network;
        this.client = client;
    }

    public NetworkClient client() {
        return client;
    }

    /** The coordinator's node id, or -1 while unknown. */
    public synchronized int coordinator() {
        return coordinator;
    }

    public synchronized boolean known() {
        return coordinator >= 0;
    }

    /** Starts a lookup if the coordinator is unknown and none is in flight; applies a finished one. */
    public synchronized void lookupIfNeeded() {
        if (coordinator >= 0) {
            return;
        }
        if (lookup != null && lookup.isDone()) {
            FindCoordinatorResponse response = lookup.isCompletedExceptionally() ? null : lookup.join();
            lookup = null;
            if (response != null) {
                apply(response);
            }
            if (coordinator >= 0) {
                return;
            }
        }
        if (lookup == null) {
            FindCoordinatorRequest request = new FindCoordinatorRequest().setKey(groupId).setKeyType((byte) 0)
                    .setCoordinatorKeys(List.of(groupId));
            lookup = network.send(metadata.anyNode(), request, FindCoordinatorResponse.class);
        }
    }

    /** Whether a lookup has finished (successfully or not) and waits to be applied. */
    public synchronized boolean lookupDone() {
        return coordinator >= 0 || lookup == null || lookup.isDone();
    }

    private void apply(FindCoordinatorResponse response) {
        int node;
        String host;
        int port;
        Errors error;
        if (!response.coordinators().isEmpty()) {
            FindCoordinatorResponse.Coordinator c = response.coordinators().get(0);
            error = Errors.forCode(c.errorCode());
            node = c.nodeId();
            host = c.host();
            port = c.port();
        } else {
            error = Errors.forCode(response.errorCode());
            node = response.nodeId();
            host = response.host();
            port = response.port();
        }
        if (error == Errors.NONE && node >= 0) {
            client.setNode(node, host, port);
            coordinator = node;
        } else if (!error.retriable() && error != Errors.NONE) {
            throw io.fjord.client.errors.ClientException.of(error, "FindCoordinator for group " + groupId
                    + " failed: " + error.name());
        }
    }

    /** Forgets the coordinator, so the next use looks it up again. */
    public synchronized void markUnknown() {
        coordinator = -1;
    }

    /** Whether an error means the coordinator moved or is gone. */
    public static boolean movedError(Errors error) {
        return error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE;
    }

    /** Sends to the coordinator; the future fails with COORDINATOR_NOT_AVAILABLE if none is known. */
    public <R extends ApiMessage> CompletableFuture<R> send(ApiMessage request, Class<R> responseType) {
        int node = coordinator();
        if (node < 0) {
            return CompletableFuture.failedFuture(io.fjord.client.errors.ClientException.of(
                    Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator of group " + groupId + " is not known"));
        }
        CompletableFuture<R> future = network.send(client, node, request, responseType);
        future.whenComplete((r, error) -> {
            if (error != null) {
                synchronized (this) {
                    if (coordinator == node) {
                        coordinator = -1;
                    }
                }
            }
        });
        return future;
    }
}
