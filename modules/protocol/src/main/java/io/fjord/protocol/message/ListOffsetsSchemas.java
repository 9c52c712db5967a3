package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.INT8;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * ListOffsets (API key 2), versions 1 to 2.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 *
 * <p>Version 0 is gone from Kafka 4, so Fjord starts at version 1 too.
 */
final class ListOffsetsSchemas {

    static final Schema REQUEST = Schema.of(
            field("replica_id", INT32),
            field("isolation_level", INT8).versions(2),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("timestamp", INT64))))))));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(2),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("error_code", INT16),
                            field("timestamp", INT64).defaultValue(-1),
                            field("offset", INT64).defaultValue(-1))))))));

    private ListOffsetsSchemas() {
    }
}
