/** The Kafka wire protocol: framing, headers, messages, error codes and record batches v2. */
module io.fjord.protocol {
    requires transitive io.fjord.api;

    exports io.fjord.protocol.errors;
    exports io.fjord.protocol.record;
}
