package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BYTES;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.STRING;

import io.fjord.protocol.schema.Schema;

/**
 * SaslAuthenticate (API key 36), versions 0 to 2.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class SaslAuthenticateSchemas {

    static final Schema REQUEST = Schema.of(
            field("auth_bytes", BYTES));

    static final Schema RESPONSE = Schema.of(
            field("error_code", INT16),
            field("error_message", STRING).nullable(),
            field("auth_bytes", BYTES),
            field("session_lifetime_ms", INT64).versions(1));

    private SaslAuthenticateSchemas() {
    }
}
