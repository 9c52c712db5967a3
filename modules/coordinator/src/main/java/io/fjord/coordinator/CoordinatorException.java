package io.fjord.coordinator;

import io.fjord.protocol.errors.Errors;

/** A failure the coordinator answers with a Kafka error code. */
public final class CoordinatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    public CoordinatorException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
