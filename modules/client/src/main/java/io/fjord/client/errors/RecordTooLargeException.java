package io.fjord.client.errors;

import io.fjord.common.errors.Errors;

/** A record larger than {@code max.request.size} or {@code buffer.memory}, or than the broker takes. */
public class RecordTooLargeException extends ClientException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(Errors.MESSAGE_TOO_LARGE, message);
    }
}
