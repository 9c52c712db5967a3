package io.fjord.log;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/**
 * A log operation that failed for a reason a client must hear about: an invalid batch, an offset
 * out of range, an idempotence violation or a storage failure. Carries the Kafka error code the
 * broker answers with. A failed append changes nothing on disk.
 */
public class LogException extends ApiException {
    private static final long serialVersionUID = 1L;

    public LogException(Errors error, String message) {
        super(error, message);
    }

    public LogException(Errors error, String message, Throwable cause) {
        super(error, message, cause);
    }
}
