package io.fjord.client.errors;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/**
 * A broker answered with an error code, or the client gave up for a reason that has one: {@link
 * #error()} is Kafka's code and {@link #retriable()} whether it is transient. Specific failures
 * callers often handle have their own subclass.
 */
public class ClientException extends ApiException {
    private static final long serialVersionUID = 1L;

    public ClientException(Errors error, String message) {
        super(error, message);
    }

    public ClientException(Errors error, String message, Throwable cause) {
        super(error, message, cause);
    }

    public boolean retriable() {
        return error().retriable();
    }

    /** The exception for a broker's error code: the specific subclass where there is one. */
    public static ClientException of(Errors error, String message) {
        String text = message == null || message.isEmpty() ? error.defaultMessage() : message;
        return switch (error) {
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> new RecordTooLargeException(text);
            case REQUEST_TIMED_OUT -> new TimeoutException(text);
            case UNKNOWN_TOPIC_OR_PARTITION -> new UnknownTopicOrPartitionException(text);
            default -> new ClientException(error, text);
        };
    }
}
