package io.fjord.cluster;

import io.fjord.cluster.state.BrokerRegistration;

/**
 * How the controller reaches brokers. Requests to one broker are delivered in the order they were
 * sent; a request to a broker that is gone is dropped (the broker gets a full state when it
 * registers again).
 */
public interface BrokerChannel extends AutoCloseable {

    void send(BrokerRegistration broker, ControllerRequest request);

    /** Stops delivering; requests not yet sent are dropped. */
    @Override
    void close();
}
