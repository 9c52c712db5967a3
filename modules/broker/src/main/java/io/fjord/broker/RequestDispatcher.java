package io.fjord.broker;

import io.fjord.common.errors.Errors;
import io.fjord.network.NetworkRequest;
import io.fjord.network.RequestHandler;
import io.fjord.protocol.errors.ProtocolException;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;
import io.fjord.protocol.message.MessageCodec;
import io.fjord.protocol.message.ApiVersionsRequest;
import io.fjord.protocol.message.RequestHeader;
import io.fjord.protocol.message.SaslAuthenticateRequest;
import io.fjord.protocol.message.SaslAuthenticateResponse;
import io.fjord.protocol.message.SaslHandshakeRequest;
import io.fjord.protocol.message.SaslHandshakeResponse;
import io.fjord.protocol.types.WireReader;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker's API logic behind the socket server (Kafka's {@code KafkaApis}): decodes each request
 * body and hands it to the handler its API is routed to.
 *
 * <p>A body that does not decode closes the connection, as Kafka does, since no error body can be
 * trusted to parse on the client. Bytes after the body are ignored, as Kafka's parser ignores
 * them, and reported to the network layer (a metric, and a log line once per client). The SASL
 * APIs, advertised but not served on a plaintext listener, are answered with
 * COORDINATOR_NOT_AVAILABLE. ApiVersions advertises exactly the routed APIs; a request of any other
 * closes the connection and is logged once per client and API.
 */
final class RequestDispatcher implements RequestHandler {

    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class.getName());

    private final Routes routes = new Routes();
    private final ApiVersionsAnswer apiVersions;

    RequestDispatcher(List<ApiFamily> families) {
        routes.add(ApiKeys.API_VERSIONS, ApiVersionsRequest.class, this::answerApiVersions)
                .add(ApiKeys.SASL_HANDSHAKE, SaslHandshakeRequest.class, (request, body) -> Responses.send(request,
                        new SaslHandshakeResponse().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())))
                .add(ApiKeys.SASL_AUTHENTICATE, SaslAuthenticateRequest.class, (request, body) -> Responses.send(request,
                        new SaslAuthenticateResponse().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())));
        for (ApiFamily family : families) {
            family.register(routes);
        }
        apiVersions = new ApiVersionsAnswer(routes.routed());
    }

    private void answerApiVersions(NetworkRequest request, ApiVersionsRequest body) {
        Responses.send(request, apiVersions.supported(request.header().apiVersion()));
    }

    @Override
    public void handle(NetworkRequest request) {
        RequestHeader header = request.header();
        ApiKeys api = header.api();
        if (api == ApiKeys.API_VERSIONS && !api.isVersionSupported(header.apiVersion())) {
            // A version 0 body the client can always parse, listing what we support.
            request.sendResponse(MessageCodec.encodeBody((short) 0, apiVersions.unsupportedVersion()));
            return;
        }
        Routes.Route route = routes.route(api);
        if (route == null) {
            request.closeConnectionNotServed();
            return;
        }
        ApiMessage body;
        try {
            WireReader in = new WireReader(request.body());
            body = MessageCodec.readRequestBody(api, header.apiVersion(), in);
            if (in.remaining() > 0) {
                request.reportTrailingBytes(in.remaining());
            }
        } catch (ProtocolException e) {
            LOG.log(Level.FINE, "Closing a connection after a malformed " + api.apiName() + " request", e);
            request.closeConnection();
            return;
        }
        try {
            route.handle(request, body);
        } catch (RuntimeException e) {
            if (!request.isCompleted()) {
                LOG.log(Level.WARNING, "Closing the connection: " + api.apiName() + " failed", e);
                request.closeConnection();
            } else {
                LOG.log(Level.WARNING, api.apiName() + " failed after its response", e);
            }
        }
    }
}
