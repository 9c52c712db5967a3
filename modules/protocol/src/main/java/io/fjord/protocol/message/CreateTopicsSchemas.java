package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Field.taggedField;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT8;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.UUID;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * CreateTopics (API key 19), versions 2 to 7; flexible from 5.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions. From version 5 the response describes the
 * created topic (partitions, replication factor, configs), from 7 it carries the topic id.
 */
final class CreateTopicsSchemas {

    static final Schema REQUEST = Schema.of(
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("num_partitions", INT32),
                    field("replication_factor", INT16),
                    field("assignments", arrayOf(Schema.of(
                            field("partition_index", INT32),
                            field("broker_ids", arrayOf(INT32))))),
                    field("configs", arrayOf(Schema.of(
                            field("name", STRING),
                            field("value", STRING).nullable())))))),
            field("timeout_ms", INT32).defaultValue(60000),
            field("validate_only", BOOLEAN));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("topics", arrayOf(Schema.of(
                    field("name", STRING),
                    field("topic_id", UUID).versions(7),
                    field("error_code", INT16),
                    field("error_message", STRING).nullable(),
                    taggedField(0, "topic_config_error_code", INT16).versions(5),
                    field("num_partitions", INT32).versions(5).defaultValue(-1),
                    field("replication_factor", INT16).versions(5).defaultValue(-1),
                    field("configs", arrayOf(Schema.of(
                            field("name", STRING),
                            field("value", STRING).nullable(),
                            field("read_only", BOOLEAN),
                            field("config_source", INT8).defaultValue(-1),
                            field("is_sensitive", BOOLEAN)))).versions(5).nullable()))));

    private CreateTopicsSchemas() {
    }
}
