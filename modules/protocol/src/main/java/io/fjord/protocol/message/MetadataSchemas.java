package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.UUID;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * Metadata (API key 3), versions 0 to 13; flexible from 9.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions: topic ids from 10 (a request may then name a
 * topic by id alone, its name null), cluster authorized operations only in 8 to 10, a null topic
 * name in responses from 12 (a topic asked for by an unknown id), a top-level error code from 13.
 */
final class MetadataSchemas {

    private static final int NO_AUTHORIZED_OPERATIONS = Integer.MIN_VALUE;

    static final Schema REQUEST = Schema.of(
            field("topics", arrayOf(Schema.of(
                    field("topic_id", UUID).versions(10),
                    field("name", STRING).nullable(10)))).nullable(1),
            field("allow_auto_topic_creation", BOOLEAN).versions(4).defaultValue(true),
            field("include_cluster_authorized_operations", BOOLEAN).versions(8, 10),
            field("include_topic_authorized_operations", BOOLEAN).versions(8));

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
                    field("name", STRING).nullable(12),
                    field("topic_id", UUID).versions(10),
                    field("is_internal", BOOLEAN).versions(1),
                    field("partitions", arrayOf(Schema.of(
                            field("error_code", INT16),
                            field("partition_index", INT32),
                            field("leader_id", INT32),
                            field("leader_epoch", INT32).versions(7).defaultValue(-1),
                            field("replica_nodes", arrayOf(INT32)),
                            field("isr_nodes", arrayOf(INT32)),
                            field("offline_replicas", arrayOf(INT32)).versions(5)))),
                    field("topic_authorized_operations", INT32).versions(8)
                            .defaultValue(NO_AUTHORIZED_OPERATIONS)))),
            field("cluster_authorized_operations", INT32).versions(8, 10).defaultValue(NO_AUTHORIZED_OPERATIONS),
            field("error_code", INT16).versions(13));

    private MetadataSchemas() {
    }
}
