package io.fjord.protocol.message;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.types.EncodedMessage;
import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Decodes and encodes whole requests and responses: header plus body, for every advertised
 * (API, version).
 *
 * <p>Decoding checks the version ({@link Errors#UNSUPPORTED_VERSION}) and rejects anything
 * malformed. A request may carry bytes after its body, which Kafka's broker ignores (librdkafka
 * writes some): {@link DecodedRequest#trailingBytes()} counts them and the caller decides. A
 * response must end with its body. Decoded messages keep {@code bytes} and {@code records} values
 * as slices of the frame, so the frame's buffer must stay unchanged while the message is in use.
 */
public final class MessageCodec {

    /** A decoded request, and how many bytes followed its body in the frame. */
    public record DecodedRequest(RequestHeader header, ApiMessage body, int trailingBytes) {
    }

    /** A decoded response. */
    public record DecodedResponse(ResponseHeader header, ApiMessage body) {
    }

    private MessageCodec() {
    }

    /**
     * An ApiVersions response listing {@code apis} with the versions Fjord speaks, in key order.
     * With {@link Errors#UNSUPPORTED_VERSION} it is the answer to an ApiVersions request of a
     * version above ours, to be encoded as version 0.
     */
    public static ApiVersionsResponse apiVersionsResponse(Errors error, Set<ApiKeys> apis) {
        ApiVersionsResponse response = new ApiVersionsResponse().setErrorCode(error.code());
        for (ApiKeys api : ApiKeys.values()) {
            if (!apis.contains(api)) {
                continue;
            }
            response.apiKeys().add(new ApiVersionsResponse.ApiVersion()
                    .setApiKey(api.id())
                    .setMinVersion(api.oldestVersion())
                    .setMaxVersion(api.latestVersion()));
        }
        return response;
    }

    /** Decodes a request frame (the bytes after the size prefix). */
    public static DecodedRequest decodeRequest(ByteBuffer frame) {
        WireReader in = new WireReader(frame);
        RequestHeader header = RequestHeader.read(in);
        ApiMessage body = readRequestBody(header.api(), header.apiVersion(), in);
        return new DecodedRequest(header, body, in.remaining());
    }

    /**
     * Reads a request body from the reader's position, leaving any bytes after it unread; the version
     * must be advertised.
     */
    public static ApiMessage readRequestBody(ApiKeys api, short version, WireReader in) {
        api.checkVersion(version);
        ApiMessage body = api.newRequest();
        body.read(in, version);
        return body;
    }

    /** Decodes a response frame (the bytes after the size prefix) to a request of {@code version}. */
    public static DecodedResponse decodeResponse(ApiKeys api, short version, ByteBuffer frame) {
        WireReader in = new WireReader(frame);
        ResponseHeader header = ResponseHeader.read(in, api.responseHeaderVersion(version));
        return new DecodedResponse(header, decodeResponseBody(api, version, in));
    }

    /** Decodes a response body that must fill the rest of the reader. */
    public static ApiMessage decodeResponseBody(ApiKeys api, short version, WireReader in) {
        api.checkVersion(version);
        ApiMessage body = api.newResponse();
        body.read(in, version);
        if (in.remaining() != 0) {
            throw in.malformed(in.remaining() + " bytes after the end of the message");
        }
        return body;
    }

    /** Encodes a request or response body alone (no header, no size prefix). */
    public static EncodedMessage encodeBody(short version, ApiMessage body) {
        WireWriter out = new WireWriter();
        write(body, version, out);
        return out.finish();
    }

    /** Encodes a whole request frame: size prefix, header and body. */
    public static EncodedMessage encodeRequest(RequestHeader header, ApiMessage body) {
        WireWriter out = new WireWriter();
        header.write(out);
        write(body, header.apiVersion(), out);
        return out.finish().withSizePrefix();
    }

    /** Encodes a whole response frame: size prefix, header and body. */
    public static EncodedMessage encodeResponse(short version, int correlationId, ApiMessage body) {
        ApiKeys api = ApiKeys.forId(body.apiKey());
        WireWriter out = new WireWriter();
        new ResponseHeader(correlationId, api.responseHeaderVersion(version)).write(out);
        write(body, version, out);
        return out.finish().withSizePrefix();
    }

    private static void write(ApiMessage body, short version, WireWriter out) {
        if (version < body.lowestVersion() || version > body.highestVersion()) {
            throw new IllegalArgumentException(body.getClass().getSimpleName() + " has no version " + version);
        }
        body.write(out, version);
    }
}
