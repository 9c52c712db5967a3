package io.fjord.cli;

import io.fjord.client.network.NetworkClient;
import io.fjord.protocol.message.ApiMessage;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Requests from a console tool to the first bootstrap server, one at a time, through the client's
 * network client: the tool waits for each answer, which arrives typed or as the client's typed
 * failure, rethrown as an {@link IOException} with its message.
 */
final class BrokerRequests {

    private static final int BOOTSTRAP_NODE = -1;

    private final NetworkClient client;

    BrokerRequests(NetworkClient client, String bootstrapServers) {
        this.client = client;
        String first = bootstrapServers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        if (colon <= 0 || colon == first.length() - 1) {
            throw new IllegalArgumentException("Bootstrap server '" + first + "' is not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(first.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bootstrap server '" + first + "' has no numeric port");
        }
        client.setNode(BOOTSTRAP_NODE, first.substring(0, colon), port);
    }

    /** Sends {@code request} at {@code version} and waits for the response body, a {@code responseType}. */
    <R extends ApiMessage> R send(short version, ApiMessage request, Class<R> responseType) throws IOException {
        CompletableFuture<ApiMessage> answer = new CompletableFuture<>();
        client.send(BOOTSTRAP_NODE, request, version, (response, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else {
                answer.complete(response);
            }
        });
        try {
            return responseType.cast(answer.get());
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for the broker", e);
        }
    }
}
