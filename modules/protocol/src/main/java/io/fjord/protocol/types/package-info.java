/**
 * Framing and Kafka's primitive wire types: {@link io.fjord.protocol.types.WireReader} (bounds
 * checked, never allocates beyond the bytes present), {@link io.fjord.protocol.types.WireWriter},
 * {@link io.fjord.protocol.types.Frames} for size-prefixed frames, and {@link
 * io.fjord.protocol.types.EncodedMessage}, whose {@link io.fjord.protocol.types.RecordSet} parts
 * are sent as they are, without being copied.
 */
package io.fjord.protocol.types;
