package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * OffsetDelete (API key 47), versions 0 to 0.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class OffsetDeleteSchemas {

    static final Schema REQUEST = Schema.of(
            field("group_id", STRING),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32))))))));

    static final Schema RESPONSE = Schema.of(
            field("error_code", INT16),
            field("throttle_time_ms", INT32),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("error_code", INT16))))))));

    private OffsetDeleteSchemas() {
    }
}
