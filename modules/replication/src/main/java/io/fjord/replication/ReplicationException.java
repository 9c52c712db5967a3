package io.fjord.replication;

import io.fjord.protocol.errors.Errors;

/** A produce or fetch refused by the replication layer, with the Kafka error code to answer. */
public class ReplicationException extends RuntimeException {

    private final transient Errors error;

    public ReplicationException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
