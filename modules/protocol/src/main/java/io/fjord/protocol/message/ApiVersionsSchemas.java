package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Field.taggedField;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * ApiVersions (API key 18), versions 0 to 4.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 *
 * <p>The response's tagged fields (versions 3+) describe features; the request of any
 * version is answered with response header v0.
 */
final class ApiVersionsSchemas {

    static final Schema REQUEST = Schema.of(
            field("client_software_name", STRING).versions(3),
            field("client_software_version", STRING).versions(3));

    static final Schema RESPONSE = Schema.of(
            field("error_code", INT16),
            field("api_keys", arrayOf(Schema.of(
                    field("api_key", INT16),
                    field("min_version", INT16),
                    field("max_version", INT16)))),
            field("throttle_time_ms", INT32).versions(1),
            taggedField(0, "supported_features", arrayOf(Schema.of(
                    field("name", STRING),
                    field("min_version", INT16),
                    field("max_version", INT16)))).versions(3),
            taggedField(1, "finalized_features_epoch", INT64).versions(3).defaultValue(-1),
            taggedField(2, "finalized_features", arrayOf(Schema.of(
                    field("name", STRING),
                    field("max_version_level", INT16),
                    field("min_version_level", INT16)))).versions(3),
            taggedField(3, "zk_migration_ready", BOOLEAN).versions(3));

    private ApiVersionsSchemas() {
    }
}
