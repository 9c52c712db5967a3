package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT8;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * IncrementalAlterConfigs (API key 44), versions 0 to 1.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class IncrementalAlterConfigsSchemas {

    static final Schema REQUEST = Schema.of(
            field("resources", arrayOf(Schema.of(
                    field("resource_type", INT8),
                    field("resource_name", STRING),
                    field("configs", arrayOf(Schema.of(
                            field("name", STRING),
                            field("config_operation", INT8),
                            field("value", STRING).nullable())))))),
            field("validate_only", BOOLEAN));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("responses", arrayOf(Schema.of(
                    field("error_code", INT16),
                    field("error_message", STRING).nullable(),
                    field("resource_type", INT8),
                    field("resource_name", STRING)))));

    private IncrementalAlterConfigsSchemas() {
    }
}
