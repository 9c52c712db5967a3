package io.fjord.broker;

import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.MessageCodec;

/** Sends a typed response in the request's own API version. */
final class Responses {

    private Responses() {
    }

    static void send(NetworkRequest request, ApiMessage response) {
        request.sendResponse(MessageCodec.encodeBody(request.header().apiVersion(), response));
    }
}
