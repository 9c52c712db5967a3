package io.fjord.network;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.types.EncodedMessage;
import io.fjord.protocol.types.WireWriter;
import java.util.EnumSet;
import java.util.Set;

/** Request handlers for the tests: ApiVersions answered with the protocol codec, everything else echoed. */
final class TestHandlers {
    private static final Set<ApiKeys> EVERY_API = EnumSet.allOf(ApiKeys.class);

    private TestHandlers() {
    }

    /** The ApiVersions answer a broker gives; for a version above ours, the v0 error body. */
    static EncodedMessage apiVersions(NetworkRequest request) {
        short version = request.header().apiVersion();
        if (ApiKeys.API_VERSIONS.isVersionSupported(version)) {
            return MessageCodec.encodeBody(version, MessageCodec.apiVersionsResponse(Errors.NONE, EVERY_API));
        }
        return MessageCodec.encodeBody((short) 0, MessageCodec.apiVersionsResponse(Errors.UNSUPPORTED_VERSION, EVERY_API));
    }

    /** A response body that is a copy of the request body. */
    static EncodedMessage echo(NetworkRequest request) {
        return new WireWriter().writeRaw(request.body()).finish();
    }

    /** Answers ApiVersions properly and echoes every other request's body. */
    static RequestHandler apiVersionsOrEcho() {
        return request -> request.sendResponse(request.header().api() == ApiKeys.API_VERSIONS
                ? apiVersions(request) : echo(request));
    }
}
