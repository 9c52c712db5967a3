package io.fjord.api.serialization;

/** A key or value that cannot be serialized or deserialized; the message says which and why. */
public class SerializationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
