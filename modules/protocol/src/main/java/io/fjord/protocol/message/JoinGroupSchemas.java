package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BYTES;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * JoinGroup (API key 11), versions 0 to 5.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class JoinGroupSchemas {

    static final Schema REQUEST = Schema.of(
            field("group_id", STRING),
            field("session_timeout_ms", INT32),
            field("rebalance_timeout_ms", INT32).versions(1).defaultValue(-1),
            field("member_id", STRING),
            field("group_instance_id", STRING).versions(5).nullable().defaultValue(null),
            field("protocol_type", STRING),
            field("protocols", arrayOf(Schema.of(
                    field("name", STRING),
                    field("metadata", BYTES)))));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(2),
            field("error_code", INT16),
            field("generation_id", INT32).defaultValue(-1),
            field("protocol_name", STRING),
            field("leader", STRING),
            field("member_id", STRING),
            field("members", arrayOf(Schema.of(
                    field("member_id", STRING),
                    field("group_instance_id", STRING).versions(5).nullable().defaultValue(null),
                    field("metadata", BYTES)))));

    private JoinGroupSchemas() {
    }
}
