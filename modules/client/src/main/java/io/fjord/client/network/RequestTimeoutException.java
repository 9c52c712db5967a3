package io.fjord.client.network;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/**
 * No response arrived within the request time-out ({@link Errors#REQUEST_TIMED_OUT}, retriable).
 * A request that timed out after it was written closes its connection, since responses on a
 * connection come in order; whether the broker processed it is unknown.
 */
public class RequestTimeoutException extends ApiException {
    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
        super(Errors.REQUEST_TIMED_OUT, message);
    }
}
