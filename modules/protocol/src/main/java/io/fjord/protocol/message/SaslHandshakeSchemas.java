package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * SaslHandshake (API key 17), versions 0 to 1.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class SaslHandshakeSchemas {

    static final Schema REQUEST = Schema.of(
            field("mechanism", STRING));

    static final Schema RESPONSE = Schema.of(
            field("error_code", INT16),
            field("mechanisms", arrayOf(STRING)));

    private SaslHandshakeSchemas() {
    }
}
