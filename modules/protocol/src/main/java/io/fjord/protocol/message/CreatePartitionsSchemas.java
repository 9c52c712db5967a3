package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * CreatePartitions (API key 37), versions 0 to 3.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class CreatePartitionsSchemas {

    static final Schema REQUEST = Schema.of(
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("count", INT32),
                    field("assignments", arrayOf(Schema.of(
                            field("broker_ids", arrayOf(INT32))))).nullable()))),
            field("timeout_ms", INT32),
            field("validate_only", BOOLEAN));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("results", arrayOf(Schema.of(
                    field("name", STRING),
                    field("error_code", INT16),
                    field("error_message", STRING).nullable().defaultValue(null)))));

    private CreatePartitionsSchemas() {
    }
}
