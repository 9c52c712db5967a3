/**
 * The Kafka wire protocol, as Fjord speaks it.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@link io.fjord.protocol.types}: framing and primitive types over {@code ByteBuffer}s
 *       (fixed-width integers, LEB128 and zigzag varints, classic and compact strings, bytes and
 *       arrays, UUIDs, tagged-field sections, unknown tagged fields kept as {@code RawTaggedField})
 *       and the encoded form of a message, whose record sets stay separate, uncopied parts.</li>
 *   <li>{@link io.fjord.protocol.message}: one typed class per request and response, generated at
 *       build time from the JSON specs in {@code src/main/messages}; the API table ({@code
 *       ApiKeys}), request and response headers, and {@code MessageCodec} for whole frames.</li>
 *   <li>{@link io.fjord.protocol.errors}: the exceptions for bad wire input, carrying the Kafka
 *       error code (the codes themselves are {@code io.fjord.common.errors.Errors}).</li>
 *   <li>{@link io.fjord.protocol.record}: record batches of magic 2: zero-copy views, the record
 *       cursor, the builder and the recompressor.</li>
 * </ul>
 *
 * <h2>Why messages are generated from specs</h2>
 * Each message is a spec file (fields in wire order, the versions each exists and may be null in,
 * its default, its tag if tagged, and what it means) from which a small generator in {@code
 * build-support/message-generator} writes a typed class: getters and fluent setters, nested
 * classes for repeated structs, and a {@code read}/{@code write} pair that walks the fields for one
 * version. Handlers call {@code body.topicData()}, never a field by a string name, so a misspelt
 * field is a compile error, and the read and write code is plain sequential code with no per-field
 * lookups. Correctness comes from testing every (API, version, direction) byte for byte against
 * Kafka's own generated classes, unknown tagged fields included, not from trusting the specs.
 *
 * <h2>Hot paths</h2>
 * {@code records} fields are never decoded: a produce request's records are a slice of the request
 * frame (writable, because the log stamps offsets into the batches in place), and a fetch
 * response's record sets are separate parts of the encoded message that the network layer sends
 * with sendfile. The objects decoded are one small struct per topic and per partition, never per
 * record.
 *
 * <h2>Hostile input</h2>
 * Every length and count read from the wire is checked against the bytes remaining before
 * anything is allocated; lists grow with the elements actually read rather than with the count a
 * peer claims. Recursion follows the spec, whose depth is fixed, never the input. Malformed input
 * always ends in a {@link io.fjord.protocol.errors.ProtocolException} carrying the Kafka error to
 * answer with. What Kafka's broker tolerates is tolerated too: bytes after a request's body, unknown
 * tagged fields, any negative classic length where null is allowed.
 */
package io.fjord.protocol;
