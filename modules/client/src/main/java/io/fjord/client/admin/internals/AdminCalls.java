package io.fjord.client.admin.internals;

import io.fjord.api.Node;
import io.fjord.client.errors.ClientException;
import io.fjord.client.errors.TimeoutException;
import io.fjord.client.network.DisconnectException;
import io.fjord.client.network.LeastLoadedNode;
import io.fjord.client.network.NetworkClient;
import io.fjord.client.network.RequestTimeoutException;
import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.FindCoordinatorRequest;
import io.fjord.protocol.message.FindCoordinatorResponse;
import io.fjord.protocol.message.MetadataRequest;
import io.fjord.protocol.message.MetadataResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the admin client gets a request to the right broker and an answer back: it finds the node
 * (any broker, the controller, a group's coordinator, from metadata fetched through the bootstrap
 * servers), sends, and on a lost connection or a retriable top-level error tries again after a
 * backoff until the call's deadline, which then fails it with a {@link TimeoutException}.
 *
 * <p>Thread-safe: state is the broker table, replaced whole, and the per-group coordinator cache.
 */
public final class AdminCalls {

    /** Which node a call goes to, found afresh on each attempt. */
    @FunctionalInterface
    public interface NodeChoice {
        CompletableFuture<Integer> node(AdminCalls calls, long deadlineNs);
    }

    private final NetworkClient client;
    private final LeastLoadedNode nodeChooser;
    private final long retryBackoffMs;
    private volatile Map<Integer, Node> brokers = Map.of();
    private volatile int controllerId = -1;
    private volatile String clusterId;
    private final Map<String, Integer> coordinators = new ConcurrentHashMap<>();

    public AdminCalls(NetworkClient client, int[] bootstrapNodes, long retryBackoffMs) {
        this.client = client;
        this.nodeChooser = new LeastLoadedNode(client, bootstrapNodes);
        this.retryBackoffMs = retryBackoffMs;
    }

    /** Any broker: see {@link LeastLoadedNode}. */
    public static final NodeChoice ANY = (calls, deadline) -> CompletableFuture.completedFuture(calls.leastLoaded());

    /** The controller Metadata names (a Kafka 4 broker forwards controller requests itself). */
    public static final NodeChoice CONTROLLER = (calls, deadline) -> calls.refreshMetadata(List.of(), deadline)
            .thenApply(m -> calls.controllerId >= 0 && calls.brokers.containsKey(calls.controllerId)
                    ? calls.controllerId : calls.leastLoaded());

    /** The coordinator of {@code group}, found with FindCoordinator. */
    public static NodeChoice coordinator(String group) {
        return (calls, deadline) -> {
            Integer known = calls.coordinators.get(group);
            return known != null ? CompletableFuture.completedFuture(known) : calls.findCoordinator(group, deadline);
        };
    }

    int leastLoaded() {
        return nodeChooser.choose(brokers.keySet());
    }

    /**
     * Sends {@code request} to the chosen node and returns the response, retrying lost
     * connections and the errors {@code retriable} names until {@code deadlineNs}.
     *
     * @param retriable the top-level error of a response that means "ask again", or NONE
     */
    public <R extends ApiMessage> CompletableFuture<R> call(String what, NodeChoice choice, Supplier<ApiMessage> request,
                                                            Class<R> responseType, Function<R, Errors> retriable,
                                                            long deadlineNs) {
        CompletableFuture<R> result = new CompletableFuture<>();
        attempt(what, choice, request, responseType, retriable, deadlineNs, result, null);
        return result;
    }

    private <R extends ApiMessage> void attempt(String what, NodeChoice choice, Supplier<ApiMessage> request,
                                                Class<R> type, Function<R, Errors> retriable, long deadlineNs,
                                                CompletableFuture<R> result, Throwable lastError) {
        if (System.nanoTime() >= deadlineNs) {
            result.completeExceptionally(new TimeoutException(what + " timed out"
                    + (lastError == null ? "" : "; last error: " + lastError.getMessage()), lastError));
            return;
        }
        choice.node(this, deadlineNs).thenCompose(node -> client.send(node, request.get(), type)
                .thenApply(response -> {
                    Errors error = retriable.apply(response);
                    if (error != Errors.NONE) {
                        if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
                            coordinators.values().remove(node);
                        }
                        throw new ClientException(error, error.defaultMessage());
                    }
                    return response;
                })).whenComplete((response, failure) -> {
                    if (failure == null) {
                        nodeChooser.succeeded();
                        result.complete(response);
                        return;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (isRetriable(cause)) {
                        nodeChooser.failed();
                        Executor later = CompletableFuture.delayedExecutor(retryBackoffMs, TimeUnit.MILLISECONDS);
                        later.execute(() -> attempt(what, choice, request, type, retriable, deadlineNs, result, cause));
                    } else {
                        result.completeExceptionally(cause);
                    }
                });
    }

    private static boolean isRetriable(Throwable cause) {
        return cause instanceof DisconnectException || cause instanceof RequestTimeoutException
                || cause instanceof ClientException c && c.retriable();
    }

    /** Fetches metadata for {@code topics} (none: brokers only) and updates the broker table. */
    public CompletableFuture<MetadataResponse> refreshMetadata(List<String> topics, long deadlineNs) {
        return call("Metadata", ANY, () -> {
            MetadataRequest request = new MetadataRequest().setAllowAutoTopicCreation(false);
            for (String topic : topics) {
                request.topics().add(new MetadataRequest.MetadataRequestTopic().setName(topic));
            }
            return request;
        }, MetadataResponse.class, r -> Errors.NONE, deadlineNs).thenApply(response -> {
            Map<Integer, Node> known = new ConcurrentHashMap<>();
            for (MetadataResponse.MetadataResponseBroker b : response.brokers()) {
                known.put(b.nodeId(), new Node(b.nodeId(), b.host(), b.port(), Optional.ofNullable(b.rack())));
                Node previous = brokers.get(b.nodeId());
                if (previous == null || !previous.host().equals(b.host()) || previous.port() != b.port()) {
                    client.setNode(b.nodeId(), b.host(), b.port());
                }
            }
            brokers = Map.copyOf(known);
            controllerId = response.controllerId();
            clusterId = response.clusterId();
            return response;
        });
    }

    private CompletableFuture<Integer> findCoordinator(String group, long deadlineNs) {
        return call("FindCoordinator", ANY, () -> new FindCoordinatorRequest().setKey(group).setKeyType((byte) 0)
                        .setCoordinatorKeys(List.of(group)), FindCoordinatorResponse.class,
                r -> coordinatorOf(r).errorCode() == 0 ? Errors.NONE : retriableOrNone(coordinatorOf(r).errorCode()),
                deadlineNs).thenApply(response -> {
                    FindCoordinatorResponse.Coordinator c = coordinatorOf(response);
                    if (c.errorCode() != 0) {
                        throw ClientException.of(Errors.forCode(c.errorCode()), c.errorMessage());
                    }
                    if (!brokers.containsKey(c.nodeId())) {
                        client.setNode(c.nodeId(), c.host(), c.port());
                    }
                    coordinators.put(group, c.nodeId());
                    return c.nodeId();
                });
    }

    /** The one coordinator a response holds, whichever layout its version uses. */
    private static FindCoordinatorResponse.Coordinator coordinatorOf(FindCoordinatorResponse response) {
        if (!response.coordinators().isEmpty()) {
            return response.coordinators().get(0);
        }
        return new FindCoordinatorResponse.Coordinator().setNodeId(response.nodeId()).setHost(response.host())
                .setPort(response.port()).setErrorCode(response.errorCode()).setErrorMessage(response.errorMessage());
    }

    /** A retriable error code as itself, anything else as NONE (left for the caller to report). */
    public static Errors retriableOrNone(short code) {
        Errors error = Errors.forCode(code);
        return error.retriable() ? error : Errors.NONE;
    }

    public Map<Integer, Node> brokers() {
        return brokers;
    }

    public int controllerId() {
        return controllerId;
    }

    public String clusterId() {
        return clusterId;
    }

    public NetworkClient client() {
        return client;
    }
}
