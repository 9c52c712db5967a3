package io.fjord.protocol.errors;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/**
 * Malformed or unsupported wire input: a truncated frame, a length that points past the bytes
 * present, an unknown API key or version. Carries the {@link Errors} code a broker answers with
 * (typically {@link Errors#INVALID_REQUEST}, {@link Errors#CORRUPT_MESSAGE} or {@link
 * Errors#UNSUPPORTED_VERSION}).
 */
public class ProtocolException extends ApiException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(Errors error, String message) {
        super(error, message);
    }

    public ProtocolException(Errors error, String message, Throwable cause) {
        super(error, message, cause);
    }
}
