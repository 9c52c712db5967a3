package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * DeleteRecords (API key 21), versions 0 to 2.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class DeleteRecordsSchemas {

    static final Schema REQUEST = Schema.of(
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("offset", INT64))))))),
            field("timeout_ms", INT32));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("low_watermark", INT64),
                            field("error_code", INT16))))))));

    private DeleteRecordsSchemas() {
    }
}
