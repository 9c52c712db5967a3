package io.fjord.client.network;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/**
 * The connection a request needed failed or closed before its response arrived: refused, reset,
 * closed by the peer, closed after another request's time-out, closed with the client, or the node
 * has no address. Retriable ({@link Errors#NETWORK_EXCEPTION}); whether the broker processed the
 * request is unknown.
 */
public class DisconnectException extends ApiException {
    private static final long serialVersionUID = 1L;

    public DisconnectException(String message) {
        super(Errors.NETWORK_EXCEPTION, message);
    }

    public DisconnectException(String message, Throwable cause) {
        super(Errors.NETWORK_EXCEPTION, message, cause);
    }
}
