package io.fjord.client.consumer;

import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;

/**
 * A commit the group rejected for good: the member's generation is over (it was removed from the
 * group or a rebalance completed without it), so its partitions may belong to another member now.
 */
public class CommitFailedException extends ClientException {
    private static final long serialVersionUID = 1L;

    public CommitFailedException(Errors error, String message) {
        super(error, message);
    }
}
