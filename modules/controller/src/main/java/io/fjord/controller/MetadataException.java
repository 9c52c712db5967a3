package io.fjord.controller;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/**
 * A metadata operation that was refused: an invalid topic name, an existing topic, a bad
 * partition count or config value. Carries the Kafka {@link Errors} code the broker answers with
 * and a message that can go into the response's {@code error_message} as it is.
 */
public class MetadataException extends ApiException {
    private static final long serialVersionUID = 1L;

    public MetadataException(Errors error, String message) {
        super(error, message);
    }

    public MetadataException(Errors error, String message, Throwable cause) {
        super(error, message, cause);
    }
}
