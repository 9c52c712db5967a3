package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.INT8;
import static io.fjord.protocol.schema.Type.RECORDS;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * Fetch (API key 1), versions 4 to 11.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 *
 * <p>A response's {@code records} is written as empty, never null, when it has no value.
 */
final class FetchSchemas {

    static final Schema REQUEST = Schema.of(
            field("replica_id", INT32).defaultValue(-1),
            field("max_wait_ms", INT32),
            field("min_bytes", INT32),
            field("max_bytes", INT32).defaultValue(Integer.MAX_VALUE),
            field("isolation_level", INT8),
            field("session_id", INT32).versions(7),
            field("session_epoch", INT32).versions(7).defaultValue(-1),
            field("topics", arrayOf(Schema.of(
                    field("topic", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition", INT32),
                            field("current_leader_epoch", INT32).versions(9).defaultValue(-1),
                            field("fetch_offset", INT64),
                            field("log_start_offset", INT64).versions(5).defaultValue(-1),
                            field("partition_max_bytes", INT32))))))),
            field("forgotten_topics_data", arrayOf(Schema.of(
                    field("topic", STRING),
                    field("partitions", arrayOf(INT32))))).versions(7),
            field("rack_id", STRING).versions(11));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("error_code", INT16).versions(7),
            field("session_id", INT32).versions(7),
            field("responses", arrayOf(Schema.of(
                    field("topic", STRING),
                    field("partitions", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("error_code", INT16),
                            field("high_watermark", INT64),
                            field("last_stable_offset", INT64).defaultValue(-1),
                            field("log_start_offset", INT64).versions(5).defaultValue(-1),
                            field("aborted_transactions", arrayOf(Schema.of(
                                    field("producer_id", INT64),
                                    field("first_offset", INT64)))).nullable(),
                            field("preferred_read_replica", INT32).versions(11).defaultValue(-1),
                            field("records", RECORDS).nullable().writeNullAsEmpty())))))));

    private FetchSchemas() {
    }
}
