package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * OffsetCommit (API key 8), versions 2 to 7.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class OffsetCommitSchemas {

    static final Schema REQUEST = Schema.of(
            field("group_id", STRING),
            field("generation_id_or_member_epoch", INT32).defaultValue(-1),
            field("member_id", STRING),
            field("group_instance_id", STRING).versions(7).nullable().defaultValue(null),
            field("retention_time_ms", INT64).versions(2, 4).defaultValue(-1),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("committed_offset", INT64),
                            field("committed_leader_epoch", INT32).versions(6).defaultValue(-1),
                            field("committed_metadata", STRING).nullable())))))));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(3),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("error_code", INT16))))))));

    private OffsetCommitSchemas() {
    }
}
