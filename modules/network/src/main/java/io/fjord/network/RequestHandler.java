package io.fjord.network;

/**
 * The API logic behind the socket server, implemented by the broker. Called on a request handler
 * thread (one of {@code num.io.threads}) for every request whose header was valid.
 *
 * <p>Contract: every request must be completed exactly once, by {@link
 * NetworkRequest#sendResponse}, {@link NetworkRequest#noResponse} or {@link
 * NetworkRequest#closeConnection}, either before {@link #handle} returns or later from any thread
 * (a delayed operation completing). Until it is, its connection reads nothing more. If {@link
 * #handle} throws before completing the request, the connection is closed, since the network
 * layer cannot know which error body the API expects.
 *
 * <p>An ApiVersions request of a version the broker does not support is passed on too, so the
 * handler can answer it with a version 0 body carrying UNSUPPORTED_VERSION; any other unsupported
 * (API, version) and any unknown API key closes the connection before reaching the handler.
 */
@FunctionalInterface
public interface RequestHandler {

    void handle(NetworkRequest request);
}
