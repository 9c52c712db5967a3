/**
 * Turning keys and values into bytes and back: {@link io.fjord.api.serialization.Serializer}
 * and {@link io.fjord.api.serialization.Deserializer}, as Kafka's serdes.
 */
package io.fjord.api.serialization;
