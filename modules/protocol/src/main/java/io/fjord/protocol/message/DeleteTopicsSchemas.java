package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * DeleteTopics (API key 20), versions 1 to 3.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class DeleteTopicsSchemas {

    static final Schema REQUEST = Schema.of(
            field("topic_names", arrayOf(STRING)),
            field("timeout_ms", INT32));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("responses", arrayOf(Schema.of(
                    field("name", STRING),
                    field("error_code", INT16)))));

    private DeleteTopicsSchemas() {
    }
}
