package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT8;
import static io.fjord.protocol.schema.Type.STRING;

import io.fjord.protocol.schema.Schema;

/**
 * FindCoordinator (API key 10), versions 0 to 2.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class FindCoordinatorSchemas {

    static final Schema REQUEST = Schema.of(
            field("key", STRING),
            field("key_type", INT8).versions(1));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32).versions(1),
            field("error_code", INT16),
            field("error_message", STRING).versions(1).nullable(),
            field("node_id", INT32),
            field("host", STRING),
            field("port", INT32));

    private FindCoordinatorSchemas() {
    }
}
