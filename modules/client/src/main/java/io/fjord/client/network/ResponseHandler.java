package io.fjord.client.network;

import io.fjord.protocol.message.ApiMessage;

/**
 * Receives the outcome of one request, exactly once: the decoded response, or the failure. It runs
 * on the client's I/O thread, so it must be quick and must not block; hand longer work elsewhere.
 */
@FunctionalInterface
public interface ResponseHandler {

    /**
     * @param response the decoded response body (the generated response class of the request's
     *     API), or {@code null} on failure and for a request sent without expecting a response
     * @param error {@code null} on success; otherwise a {@link DisconnectException}, a {@link
     *     RequestTimeoutException}, an {@link UnsupportedVersionException}, or the protocol module's
     *     exception for a response that could not be decoded
     */
    void onComplete(ApiMessage response, RuntimeException error);
}
