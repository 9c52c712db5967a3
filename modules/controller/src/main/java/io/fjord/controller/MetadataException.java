package io.fjord.controller;

import io.fjord.protocol.errors.Errors;

import java.util.Objects;

/**
 * A metadata operation that was refused: an invalid topic name, an existing topic, a bad
 * partition count or config value. Carries the Kafka {@link Errors} code the broker answers with
 * and a message that can go into the response's {@code error_message} as it is.
 */
public class MetadataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errors error;

    public MetadataException(Errors error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public MetadataException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The Kafka error code that describes the refusal. */
    public Errors error() {
        return error;
    }
}
