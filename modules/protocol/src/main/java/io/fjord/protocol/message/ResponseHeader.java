package io.fjord.protocol.message;

import io.fjord.protocol.types.WireReader;
import io.fjord.protocol.types.WireWriter;

/**
 * A response header. v0: correlation_id INT32; v1 adds a tagged-field section.
 *
 * @param correlationId the correlation id of the request answered
 * @param headerVersion 0 or 1, see {@link ApiKeys#responseHeaderVersion(short)}
 */
public record ResponseHeader(int correlationId, short headerVersion) {

    public ResponseHeader {
        if (headerVersion != 0 && headerVersion != 1) {
            throw new IllegalArgumentException("response header version " + headerVersion);
        }
    }

    public static ResponseHeader read(WireReader in, short headerVersion) {
        int correlationId = in.readInt();
        if (headerVersion >= 1) {
            in.skipTaggedFields();
        }
        return new ResponseHeader(correlationId, headerVersion);
    }

    public void write(WireWriter out) {
        out.writeInt(correlationId);
        if (headerVersion >= 1) {
            out.writeUnsignedVarint(0);
        }
    }
}
