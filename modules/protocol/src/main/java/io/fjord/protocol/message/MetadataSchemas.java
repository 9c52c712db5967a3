package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * Metadata (API key 3), versions 0 to 4.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class MetadataSchemas {

    static final Schema REQUEST = Schema.of(
            field("topics", arrayOf(Schema.of(
                    field("name", STRING)))).nullable(1),
            field("allow_auto_topic_creation", BOOLEAN).versions(4).defaultValue(true));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(3),
            field("brokers", arrayOf(Schema.of(
                    field("node_id", INT32),
                    field("host", STRING),
                    field("port", INT32),
                    field("rack", STRING).versions(1).nullable().defaultValue(null)))),
            field("cluster_id", STRING).versions(2).nullable().defaultValue(null),
            field("controller_id", INT32).versions(1).defaultValue(-1),
            field("topics", arrayOf(Schema.of(
                    field("error_code", INT16),
                    field("name", STRING),
                    field("is_internal", BOOLEAN).versions(1),
                    field("partitions", arrayOf(Schema.of(
                            field("error_code", INT16),
                            field("partition_index", INT32),
                            field("leader_id", INT32),
                            field("replica_nodes", arrayOf(INT32)),
                            field("isr_nodes", arrayOf(INT32)))))))));

    private MetadataSchemas() {
    }
}
