package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.RECORDS;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * Produce (API key 0), versions 0 to 7.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 *
 * <p>Versions 0 to 2 have the layout of version 3 without {@code transactional_id} (and, in the
 * response, without {@code throttle_time_ms} before version 1 and {@code log_append_time_ms} before
 * version 2); Kafka 4 no longer accepts them but they are advertised for librdkafka's compression
 * feature check, so a broker decodes them only to answer {@code UNSUPPORTED_VERSION}.
 */
final class ProduceSchemas {

    static final Schema REQUEST = Schema.of(
            field("transactional_id", STRING).versions(3).nullable().defaultValue(null),
            field("acks", INT16),
            field("timeout_ms", INT32),
            field("topic_data", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partition_data", arrayOf(Schema.of(
                            field("index", INT32),
                            field("records", RECORDS).nullable())))))));

    static final Schema RESPONSE = Schema.of(
            field("responses", arrayOf(Schema.of(
                    field("name", STRING),
                    field("partition_responses", arrayOf(Schema.of(
                            field("index", INT32),
                            field("error_code", INT16),
                            field("base_offset", INT64),
                            field("log_append_time_ms", INT64).versions(2).defaultValue(-1),
                            field("log_start_offset", INT64).versions(5).defaultValue(-1))))))),
            field("throttle_time_ms", INT32).versions(1));

    private ProduceSchemas() {
    }
}
