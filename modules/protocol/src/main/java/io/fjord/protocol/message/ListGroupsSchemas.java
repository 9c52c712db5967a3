package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * ListGroups (API key 16), versions 0 to 2.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class ListGroupsSchemas {

    static final Schema REQUEST = Schema.of();

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(1),
            field("error_code", INT16),
            field("groups", arrayOf(Schema.of(
                    field("group_id", STRING),
                    field("protocol_type", STRING)))));

    private ListGroupsSchemas() {
    }
}
