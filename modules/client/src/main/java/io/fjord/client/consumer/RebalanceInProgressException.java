package io.fjord.client.consumer;

import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;

/**
 * A commit made while the group rebalances: which partitions stay with this member is not decided
 * yet. Poll to finish the rebalance, then commit again.
 */
public class RebalanceInProgressException extends ClientException {
    private static final long serialVersionUID = 1L;

    public RebalanceInProgressException(String message) {
        super(Errors.REBALANCE_IN_PROGRESS, message);
    }
}
