package io.fjord.broker;

import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiMessage;

/**
 * The logic of one API: given the network request (header, client, the means to answer) and its
 * decoded body, it completes the request exactly once, now or later from another thread.
 *
 * @param <T> the generated request class of the API
 */
@FunctionalInterface
interface ApiHandler<T extends ApiMessage> {

    void handle(NetworkRequest request, T body);
}
