package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * ListGroups (API key 16), versions 0 to 5: v3 is flexible, v4 filters by state (KIP-518), v5
 * by group type (KIP-848).
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class ListGroupsSchemas {

    static final Schema REQUEST = Schema.of(
            field("states_filter", arrayOf(STRING)).versions(4),
            field("types_filter", arrayOf(STRING)).versions(5));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(1),
            field("error_code", INT16),
            field("groups", arrayOf(Schema.of(
                    field("group_id", STRING),
                    field("protocol_type", STRING),
                    field("group_state", STRING).versions(4).defaultValue(""),
                    field("group_type", STRING).versions(5).defaultValue("")))));

    private ListGroupsSchemas() {
    }
}
