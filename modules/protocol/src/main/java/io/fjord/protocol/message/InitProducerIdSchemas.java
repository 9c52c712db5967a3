package io.fjord.protocol.message;

import static io.fjord.protocol.schema.Field.field;
import static io.fjord.protocol.schema.Type.INT16;
import static io.fjord.protocol.schema.Type.INT32;
import static io.fjord.protocol.schema.Type.INT64;
import static io.fjord.protocol.schema.Type.STRING;

import io.fjord.protocol.schema.Schema;

/**
 * InitProducerId (API key 22), versions 0 to 4.
 *
 * <p>The field layouts, with the version each field appeared in and the versions in which it
 * may be null, after Kafka's message definitions.
 */
final class InitProducerIdSchemas {

    static final Schema REQUEST = Schema.of(
            field("transactional_id", STRING).nullable(),
            field("transaction_timeout_ms", INT32),
            field("producer_id", INT64).versions(3).defaultValue(-1),
            field("producer_epoch", INT16).versions(3).defaultValue(-1));

    static final Schema RESPONSE = Schema.of(
            field("throttle_time_ms", INT32),
            field("error_code", INT16),
            field("producer_id", INT64).defaultValue(-1),
            field("producer_epoch", INT16));

    private InitProducerIdSchemas() {
    }
}
