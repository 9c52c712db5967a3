package io.fjord.protocol.message;

import io.fjord.common.errors.Errors;
import io.fjord.protocol.schema.Struct;
import io.fjord.protocol.schema.StructCodec;
import io.fjord.protocol.types.EncodedMessage;
import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;
import java.nio.ByteBuffer;

/**
 * Decodes and encodes whole requests and responses: header plus body, for every advertised
 * (API, version).
 *
 * <p>Decoding checks the version ({@link Errors#UNSUPPORTED_VERSION}) and rejects anything
 * malformed, including bytes after the end of the body ({@link Errors#INVALID_REQUEST}). Decoded
 * structs keep {@code BYTES} and {@code RECORDS} values as slices of the frame, so the frame's
 * buffer must stay unchanged while the request is being handled.
 */
public final class MessageCodec {

    /** A decoded request. */
    public record DecodedRequest(RequestHeader header, Struct body) {
    }

    /** A decoded response. */
    public record DecodedResponse(ResponseHeader header, Struct body) {
    }

    private MessageCodec() {
    }

    /** An empty request body of {@code api}, every field at its default. */
    public static Struct newRequest(ApiKeys api) {
        return api.requestSchema().newStruct();
    }

    /** An empty response body of {@code api}, every field at its default. */
    public static Struct newResponse(ApiKeys api) {
        return api.responseSchema().newStruct();
    }

    /**
     * An ApiVersions response listing every API Fjord advertises. With {@link
     * Errors#UNSUPPORTED_VERSION} it is the answer to an ApiVersions request of a version above
     * ours, to be encoded as version 0.
     */
    public static Struct apiVersionsResponse(Errors error) {
        Struct response = newResponse(ApiKeys.API_VERSIONS);
        response.set("error_code", error.code());
        for (ApiKeys api : ApiKeys.values()) {
            response.addElement("api_keys")
                    .set("api_key", api.id())
                    .set("min_version", api.oldestVersion())
                    .set("max_version", api.latestVersion());
        }
        return response;
    }

    /** Decodes a request frame (the bytes after the size prefix). */
    public static DecodedRequest decodeRequest(ByteBuffer frame) {
        WireReader in = new WireReader(frame);
        RequestHeader header = RequestHeader.read(in);
        return new DecodedRequest(header, decodeRequestBody(header.api(), header.apiVersion(), in));
    }

    /** Decodes a request body that must fill the rest of the reader. */
    public static Struct decodeRequestBody(ApiKeys api, short version, WireReader in) {
        api.checkVersion(version);
        Struct body = StructCodec.read(api.requestSchema(), version, api.isFlexible(version), in);
        requireFullyRead(in);
        return body;
    }

    /** Decodes a response frame (the bytes after the size prefix) to a request of {@code version}. */
    public static DecodedResponse decodeResponse(ApiKeys api, short version, ByteBuffer frame) {
        WireReader in = new WireReader(frame);
        ResponseHeader header = ResponseHeader.read(in, api.responseHeaderVersion(version));
        return new DecodedResponse(header, decodeResponseBody(api, version, in));
    }

    /** Decodes a response body that must fill the rest of the reader. */
    public static Struct decodeResponseBody(ApiKeys api, short version, WireReader in) {
        api.checkVersion(version);
        Struct body = StructCodec.read(api.responseSchema(), version, api.isFlexible(version), in);
        requireFullyRead(in);
        return body;
    }

    private static void requireFullyRead(WireReader in) {
        if (in.remaining() != 0) {
            throw in.malformed(in.remaining() + " bytes after the end of the message");
        }
    }

    /** Encodes a request body alone (no header, no size prefix). */
    public static EncodedMessage encodeRequestBody(ApiKeys api, short version, Struct body) {
        WireWriter out = new WireWriter();
        writeBody(api, api.requestSchema() == body.schema(), version, body, out);
        return out.finish();
    }

    /** Encodes a response body alone (no header, no size prefix). */
    public static EncodedMessage encodeResponseBody(ApiKeys api, short version, Struct body) {
        WireWriter out = new WireWriter();
        writeBody(api, api.responseSchema() == body.schema(), version, body, out);
        return out.finish();
    }

    /** Encodes a whole request frame: size prefix, header and body. */
    public static EncodedMessage encodeRequest(RequestHeader header, Struct body) {
        WireWriter out = new WireWriter();
        header.write(out);
        ApiKeys api = header.api();
        writeBody(api, api.requestSchema() == body.schema(), header.apiVersion(), body, out);
        return out.finish().withSizePrefix();
    }

    /** Encodes a whole response frame answering {@code request}: size prefix, header and body. */
    public static EncodedMessage encodeResponse(RequestHeader request, Struct body) {
        return encodeResponse(request.api(), request.apiVersion(), request.correlationId(), body);
    }

    /** Encodes a whole response frame: size prefix, header and body. */
    public static EncodedMessage encodeResponse(ApiKeys api, short version, int correlationId,
            Struct body) {
        WireWriter out = new WireWriter();
        new ResponseHeader(correlationId, api.responseHeaderVersion(version)).write(out);
        writeBody(api, api.responseSchema() == body.schema(), version, body, out);
        return out.finish().withSizePrefix();
    }

    private static void writeBody(ApiKeys api, boolean schemaMatches, short version, Struct body,
            WireWriter out) {
        if (!schemaMatches) {
            throw new IllegalArgumentException(
                    "body is not a " + api.apiName() + " message of this direction");
        }
        if (!api.isVersionSupported(version)) {
            throw new IllegalArgumentException(
                    api.apiName() + " version " + version + " is not supported");
        }
        StructCodec.write(body, version, api.isFlexible(version), out);
    }
}
