package io.fjord.protocol.errors;

import java.util.Objects;

/**
 * Malformed or unsupported wire input: a truncated frame, a length that points past the bytes
 * present, an unknown API key or version. Carries the {@link Errors} code a broker answers with
 * (typically {@link Errors#INVALID_REQUEST}, {@link Errors#CORRUPT_MESSAGE} or {@link
 * Errors#UNSUPPORTED_VERSION}).
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errors error;

    public ProtocolException(Errors error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public ProtocolException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The Kafka error code that describes the problem. */
    public Errors error() {
        return error;
    }
}
