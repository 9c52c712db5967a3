package io.fjord.broker;

/**
 * How clients reach this broker: the node id and the advertised host and port that Metadata,
 * DescribeCluster and FindCoordinator hand out. The port is known only once the listener is bound.
 */
interface LocalNode {

    int id();

    String host();

    int port();
}
