package io.fjord.coordinator;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/** A failure the coordinator answers with a Kafka error code. */
public final class CoordinatorException extends ApiException {

    private static final long serialVersionUID = 1L;

    public CoordinatorException(Errors error, String message) {
        super(error, message);
    }
}
