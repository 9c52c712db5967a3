package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.BYTES;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * DescribeGroups (API key 15), versions 0 to 6: v5 is flexible; v6 answers GROUP_ID_NOT_FOUND
 * for an unknown group, with a message (KIP-1043).
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class DescribeGroupsSchemas {

    static final Schema REQUEST = Schema.of(
            field("groups", arrayOf(STRING)),
            field("include_authorized_operations", BOOLEAN).versions(3));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(1),
            field("groups", arrayOf(Schema.of(
                    field("error_code", INT16),
                    field("error_message", STRING).versions(6).nullable().defaultValue(null),
                    field("group_id", STRING),
                    field("group_state", STRING),
                    field("protocol_type", STRING),
                    field("protocol_data", STRING),
                    field("members", arrayOf(Schema.of(
                            field("member_id", STRING),
                            field("group_instance_id", STRING).versions(4).nullable().defaultValue(null),
                            field("client_id", STRING),
                            field("client_host", STRING),
                            field("member_metadata", BYTES),
                            field("member_assignment", BYTES)))),
                    field("authorized_operations", INT32).versions(3).defaultValue(Integer.MIN_VALUE)))));

    private DescribeGroupsSchemas() {
    }
}
