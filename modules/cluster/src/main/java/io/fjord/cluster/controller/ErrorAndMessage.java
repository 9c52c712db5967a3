package io.fjord.cluster.controller;

import io.fjord.common.errors.Errors;

/** A per-partition answer: a Kafka error code and the message sent with it (null for none). */
public record ErrorAndMessage(Errors error, String message) {

    public static final ErrorAndMessage NONE = new ErrorAndMessage(Errors.NONE, null);
}
