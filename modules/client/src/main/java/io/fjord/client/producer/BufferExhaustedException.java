package io.fjord.client.producer;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/**
 * The producer's buffer memory ({@code buffer.memory}) stayed full for {@code max.block.ms}: the
 * record was not sent. Records are produced faster than the brokers take them, or a broker is down.
 */
public class BufferExhaustedException extends ApiException {
    private static final long serialVersionUID = 1L;

    public BufferExhaustedException(String message) {
        super(Errors.REQUEST_TIMED_OUT, message);
    }
}
