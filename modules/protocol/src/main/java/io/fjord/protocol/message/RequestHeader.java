package io.fjord.protocol.message;

import io.fjord.protocol.errors.UnknownApiException;
import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;

/**
 * A request header. v1: api_key INT16, api_version INT16, correlation_id INT32, client_id
 * NULLABLE_STRING; v2 adds a tagged-field section. The client id keeps its INT16 length even in v2,
 * so any broker can read the header of any request; a null client id is accepted.
 *
 * @param api the API; unknown keys are rejected while reading
 * @param apiVersion the requested version, which may be one the broker does not support
 * @param correlationId echoed in the response
 * @param clientId may be {@code null}
 */
public record RequestHeader(ApiKeys api, short apiVersion, int correlationId, String clientId) {

    /** 1 or 2, from the API's flexible versions. */
    public short headerVersion() {
        return api.requestHeaderVersion(apiVersion);
    }

    /** The version of the response header that answers this request. */
    public short responseHeaderVersion() {
        return api.responseHeaderVersion(apiVersion);
    }

    /**
     * Reads a header from the start of a request frame (after the size prefix), leaving the reader
     * at the body. The version is not checked here, so that a broker can still answer an
     * ApiVersions request of a version it does not know.
     *
     * @throws UnknownApiException for an API key Fjord does not speak
     */
    public static RequestHeader read(WireReader in) {
        short key = in.readShort();
        short version = in.readShort();
        int correlationId = in.readInt();
        // The client id has the same place in every header version, so it can be read first.
        String clientId = in.readString(false, true);
        ApiKeys api = ApiKeys.forIdOrNull(key);
        if (api == null) {
            throw new UnknownApiException(key, version, clientId);
        }
        if (api.requestHeaderVersion(version) >= 2) {
            in.skipTaggedFields();
        }
        return new RequestHeader(api, version, correlationId, clientId);
    }

    public void write(WireWriter out) {
        out.writeShort(api.id());
        out.writeShort(apiVersion);
        out.writeInt(correlationId);
        out.writeString(clientId, false);
        if (headerVersion() >= 2) {
            out.writeUnsignedVarint(0);
        }
    }
}
