/**
 * The service-provider interfaces of Fjord and the value types they exchange. Every plugin
 * (codec, partitioner, interceptor, assignor, serializer) implements one of these and is found
 * by {@code io.fjord.kernel}. This module has no dependencies.
 */
module io.fjord.api {
    exports io.fjord.api;
    exports io.fjord.api.compression;
    exports io.fjord.api.consumer;
    exports io.fjord.api.producer;
    exports io.fjord.api.serialization;
}
