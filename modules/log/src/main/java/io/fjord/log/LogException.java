package io.fjord.log;

import io.fjord.protocol.errors.Errors;

import java.util.Objects;

/**
 * A log operation that failed for a reason a client must hear about: an invalid batch, an offset
 * out of range, an idempotence violation or a storage failure. Carries the Kafka error code the
 * broker answers with. A failed append changes nothing on disk.
 */
public class LogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errors error;

    public LogException(Errors error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public LogException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The Kafka error code for the response. */
    public Errors error() {
        return error;
    }
}
