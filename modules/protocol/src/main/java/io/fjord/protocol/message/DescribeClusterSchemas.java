package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.BOOLEAN;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT8;
import static io.fjord.protocol.schema.Type.STRING;
import static io.fjord.protocol.schema.Type.arrayOf;

import io.fjord.protocol.schema.Schema;

/**
 * DescribeCluster (API key 60), versions 0 to 1.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class DescribeClusterSchemas {

    static final Schema REQUEST = Schema.of(
            field("include_cluster_authorized_operations", BOOLEAN),
            field("endpoint_type", INT8).versions(1).defaultValue(1));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("error_code", INT16),
            field("error_message", STRING).nullable().defaultValue(null),
            field("endpoint_type", INT8).versions(1).defaultValue(1),
            field("cluster_id", STRING),
            field("controller_id", INT32).defaultValue(-1),
            field("brokers", arrayOf(Schema.of(
                    field("broker_id", INT32),
                    field("host", STRING),
                    field("port", INT32),
                    field("rack", STRING).nullable().defaultValue(null)))),
            field("cluster_authorized_operations", INT32).defaultValue(Integer.MIN_VALUE));

    private DescribeClusterSchemas() {
    }
}
