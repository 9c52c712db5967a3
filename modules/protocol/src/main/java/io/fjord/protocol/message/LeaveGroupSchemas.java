package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * LeaveGroup (API key 13), versions 0 to 4.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class LeaveGroupSchemas {

    static final Schema REQUEST = Schema.of(
            field("group_id", STRING),
            field("members", arrayOf(Schema.of(
                    field("member_id", STRING),
                    field("group_instance_id", STRING).nullable().defaultValue(null)))).versions(3),
            field("member_id", STRING).versions(0, 2));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(1),
            field("error_code", INT16),
            field("members", arrayOf(Schema.of(
                    field("member_id", STRING),
                    field("group_instance_id", STRING).nullable(),
                    field("error_code", INT16)))).versions(3));

    private LeaveGroupSchemas() {
    }
}
