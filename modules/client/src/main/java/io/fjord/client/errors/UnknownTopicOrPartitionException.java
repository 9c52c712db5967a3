package io.fjord.client.errors;

import io.fjord.common.errors.Errors;

/** The topic or partition does not exist (and was not created automatically). */
public class UnknownTopicOrPartitionException extends ClientException {
    private static final long serialVersionUID = 1L;

    public UnknownTopicOrPartitionException(String message) {
        super(Errors.UNKNOWN_TOPIC_OR_PARTITION, message);
    }
}
