package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * OffsetFetch (API key 9), versions 1 to 7.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class OffsetFetchSchemas {

    static final Schema REQUEST = Schema.of(
            field("group_id", STRING),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partition_indexes", arrayOf(INT32))))).nullable(2),
            field("require_stable", BOOLEAN).versions(7));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(3),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("committed_offset", INT64),
                            field("committed_leader_epoch", INT32).versions(5).defaultValue(-1),
                            field("metadata", STRING).nullable(),
                            field("error_code", INT16))))))),
            field("error_code", INT16).versions(2));

    private OffsetFetchSchemas() {
    }
}
