package io.fjord.client.network;

import io.fjord.common.errors.ApiException;
import io.fjord.common.errors.Errors;

/**
 * The node and this client share no version of the API, or the node does not advertise the version
 * asked for ({@link Errors#UNSUPPORTED_VERSION}); nothing was sent.
 */
public class UnsupportedVersionException extends ApiException {
    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String message) {
        super(Errors.UNSUPPORTED_VERSION, message);
    }
}
