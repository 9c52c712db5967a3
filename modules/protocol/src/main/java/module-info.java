/** The Kafka wire protocol: framing, headers, messages and error codes. */
module io.fjord.protocol {
    requires transitive io.fjord.api;

    exports io.fjord.protocol.errors;
}
