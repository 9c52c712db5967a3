package io.fjord.assignors.protocol;

/**
 * Consumer protocol bytes that cannot be read: truncated, a negative or impossible length, an
 * unsupported version. Kafka's client raises its {@code SchemaException} in the same places.
 * These bytes never reach the broker's request path (the coordinator keeps them opaque), so the
 * exception carries no error code.
 */
public class ConsumerProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConsumerProtocolException(String message) {
        super(message);
    }
}
