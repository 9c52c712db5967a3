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
 * DescribeConfigs (API key 32), versions 1 to 4.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class DescribeConfigsSchemas {

    static final Schema REQUEST = Schema.of(
            field("resources", arrayOf(Schema.of(
                    field("resource_type", INT8),
                    field("resource_name", STRING),
                    field("configuration_keys", arrayOf(STRING)).nullable()))),
            field("include_synonyms", BOOLEAN),
            field("include_documentation", BOOLEAN).versions(3));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("results", arrayOf(Schema.of(
                    field("error_code", INT16),
                    field("error_message", STRING).nullable(),
                    field("resource_type", INT8),
                    field("resource_name", STRING),
                    field("configs", arrayOf(Schema.of(
                            field("name", STRING),
                            field("value", STRING).nullable(),
                            field("read_only", BOOLEAN),
                            field("config_source", INT8).defaultValue(-1),
                            field("is_sensitive", BOOLEAN),
                            field("synonyms", arrayOf(Schema.of(
                                    field("name", STRING),
                                    field("value", STRING).nullable(),
                                    field("source", INT8)))),
                            field("config_type", INT8).versions(3),
                            field("documentation", STRING).versions(3).nullable())))))));

    private DescribeConfigsSchemas() {
    }
}
