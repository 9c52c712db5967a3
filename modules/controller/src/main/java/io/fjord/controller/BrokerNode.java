package io.fjord.controller;

/**
 * A live broker of a cluster as clients are told it: id, advertised endpoint and rack.
 *
 * @param id   {@code node.id}
 * @param host the advertised host
 * @param port the advertised port
 * @param rack {@code broker.rack}, or null
 */
public record BrokerNode(int id, String host, int port, String rack) {
}
