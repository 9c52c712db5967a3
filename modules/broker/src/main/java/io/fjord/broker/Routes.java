package io.fjord.broker;

import io.fjord.network.NetworkRequest;
import io.fjord.protocol.message.ApiKeys;
import io.fjord.protocol.message.ApiMessage;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The table from API key to handler that the {@link RequestDispatcher} reads; filled once at start.
 * What is routed is what ApiVersions advertises: an API gets advertised by being added here.
 */
final class Routes {

    /** A handler with its request type checked. */
    interface Route {
        void handle(NetworkRequest request, ApiMessage body);
    }

    private final Map<ApiKeys, Route> byApi = new EnumMap<>(ApiKeys.class);

    /** Routes {@code api}, whose decoded bodies are {@code type}, to {@code handler}; once per API. */
    <T extends ApiMessage> Routes add(ApiKeys api, Class<T> type, ApiHandler<T> handler) {
        if (byApi.putIfAbsent(api, (request, body) -> handler.handle(request, type.cast(body))) != null) {
            throw new IllegalStateException(api.apiName() + " has two handlers");
        }
        return this;
    }

    /** The APIs that have a route, a copy. */
    Set<ApiKeys> routed() {
        return byApi.isEmpty() ? EnumSet.noneOf(ApiKeys.class) : EnumSet.copyOf(byApi.keySet());
    }

    /** The route of {@code api}, or null for an API nothing answers. */
    Route route(ApiKeys api) {
        return byApi.get(api);
    }
}
