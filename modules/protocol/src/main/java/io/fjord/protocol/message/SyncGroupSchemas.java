package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BYTES;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * SyncGroup (API key 14), versions 0 to 3.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class SyncGroupSchemas {

    static final Schema REQUEST = Schema.of(
            field("group_id", STRING),
            field("generation_id", INT32),
            field("member_id", STRING),
            field("group_instance_id", STRING).versions(3).nullable().defaultValue(null),
            field("assignments", arrayOf(Schema.of(
                    field("member_id", STRING),
                    field("assignment", BYTES)))));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(1),
            field("error_code", INT16),
            field("assignment", BYTES));

    private SyncGroupSchemas() {
    }
}
