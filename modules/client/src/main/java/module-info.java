/**
 * Fjord's clients and the one network client under them: non-blocking connections to brokers by
 * node id, in-flight limits, time-outs, reconnect backoff and API version negotiation. The broker's
 * controller and replica fetchers use the network client too, so it knows nothing of producers.
 */
module io.fjord.client {
    // Transitive: requests and responses in the network client's signatures are the protocol's
    // generated messages, and its failures are the common module's ApiExceptions.
    requires transitive io.fjord.protocol;

    exports io.fjord.client.network;
}
