/**
 * The Kafka APIs Fjord serves: a generated class per request and response (from {@code
 * src/main/messages}), the {@link io.fjord.protocol.message.Message} and {@link
 * io.fjord.protocol.message.ApiMessage} interfaces they implement, {@link
 * io.fjord.protocol.message.ApiKeys} (keys, names and the classes, whose versions are the ones
 * advertised), the request and response headers and the rule pairing them with an (API, version),
 * and {@link io.fjord.protocol.message.MessageCodec}, which decodes and encodes whole frames.
 */
package io.fjord.protocol.message;
