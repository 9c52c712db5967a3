package io.fjord.protocol.errors;

import io.fjord.common.errors.Errors;

/**
 * A request for an API key Fjord does not speak. Carries what the header said, so a broker can
 * tell an operator which client wanted which API before it closes the connection.
 */
public final class UnknownApiException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    private final short apiKey;
    private final short apiVersion;
    private final String clientId;

    public UnknownApiException(short apiKey, short apiVersion, String clientId) {
        super(Errors.INVALID_REQUEST, "unknown API key " + apiKey);
        this.apiKey = apiKey;
        this.apiVersion = apiVersion;
        this.clientId = clientId;
    }

    public short apiKey() {
        return apiKey;
    }

    public short apiVersion() {
        return apiVersion;
    }

    /** The client id of the request, possibly null. */
    public String clientId() {
        return clientId;
    }
}
