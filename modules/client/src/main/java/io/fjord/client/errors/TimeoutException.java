package io.fjord.client.errors;

import io.fjord.common.errors.Errors;

/**
 * Something did not finish in its time: a record not acknowledged within {@code delivery.timeout.ms},
 * metadata not found within {@code max.block.ms}, an admin call past its deadline.
 */
public class TimeoutException extends ClientException {
    private static final long serialVersionUID = 1L;

    public TimeoutException(String message) {
        super(Errors.REQUEST_TIMED_OUT, message);
    }

    public TimeoutException(String message, Throwable cause) {
        super(Errors.REQUEST_TIMED_OUT, message, cause);
    }
}
