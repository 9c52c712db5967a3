package io.fjord.replication;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/** A produce or fetch refused by the replication layer, with the Kafka error code to answer. */
public class ReplicationException extends ApiException {
    private static final long serialVersionUID = 1L;

    public ReplicationException(Errors error, String message) {
        super(error, message);
    }
}
