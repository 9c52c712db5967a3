/**
 * The built-in serializers, providers of {@link io.fjord.api.serialization.Serializer} selected by
 * name ({@code string}, {@code bytes}, {@code byte-array}, {@code integer}, {@code long},
 * {@code uuid}) with the bytes Kafka's serializers of the same kind write.
 */
package io.fjord.client.serialization;
