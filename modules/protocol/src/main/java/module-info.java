/**
 * The Kafka wire protocol: framing and primitive types, message layouts for the supported API
 * versions, request and response headers, and error codes.
 */
module io.fjord.protocol {
    // The shared value types and the compression SPI, for the record batches of this module.
    requires io.fjord.api;

    exports io.fjord.protocol.errors;
    exports io.fjord.protocol.message;
    exports io.fjord.protocol.schema;
    exports io.fjord.protocol.types;
}
