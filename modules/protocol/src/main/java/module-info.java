/**
 * The Kafka wire protocol: framing and primitive types, message layouts for the supported API
 * versions, request and response headers, error codes, and record batches of magic 2.
 */
module io.fjord.protocol {
    // Transitive: record batch signatures use the API's CompressionCodec, Header and TimestampType.
    requires transitive io.fjord.api;
    // Transitive: every ProtocolException carries the common module's Errors.
    requires transitive io.fjord.common;

    exports io.fjord.protocol.errors;
    exports io.fjord.protocol.message;
    exports io.fjord.protocol.record;
    exports io.fjord.protocol.types;
}
