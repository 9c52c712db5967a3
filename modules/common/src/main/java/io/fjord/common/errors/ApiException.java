package io.fjord.common.errors;

import java.util.Objects;

/**
 * The base of every failure that a client hears about as a Kafka error code: malformed wire input,
 * a refused append, a refused metadata change, a group operation answered with an error. Each
 * module throws its own subclass; the broker answers any of them the same way, with {@link
 * #error()} and, where the response has one, the message.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errors error;

    public ApiException(Errors error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public ApiException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The Kafka error code for the response. */
    public Errors error() {
        return error;
    }
}
