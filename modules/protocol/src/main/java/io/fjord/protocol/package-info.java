/**
 * The Kafka wire protocol, as Fjord speaks it.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@link io.fjord.protocol.types}: framing and primitive types over {@code ByteBuffer}s
 *       (fixed-width integers, LEB128 and zigzag varints, classic and compact strings, bytes and
 *       arrays, UUIDs, tagged-field sections) and the encoded form of a message, whose record sets
 *       stay separate, uncopied parts.</li>
 *   <li>{@link io.fjord.protocol.schema}: a small declarative description of message layouts
 *       ({@code Schema}, {@code Field}, {@code Type}), the generic value holder {@code Struct} and
 *       the one codec, {@code StructCodec}, that reads and writes any schema at any version.</li>
 *   <li>{@link io.fjord.protocol.message}: the API table ({@code ApiKeys}), request and response
 *       headers, the layouts of every supported API, and {@code MessageCodec} for whole
 *       requests and responses.</li>
 *   <li>{@link io.fjord.protocol.errors}: Kafka's error codes and {@code ProtocolException}.</li>
 * </ul>
 *
 * <h2>Why messages are described, not hand-coded or generated</h2>
 * Each API is a few lines of Java that read like Kafka's JSON message definitions: fields in wire
 * order, the version each appeared in, the versions in which it may be null, its default, and
 * its tag if it is a tagged field. One codec interprets them. Compared with the alternatives:
 * <ul>
 *   <li>Hand-written codecs for ~26 APIs, two directions and up to eight versions each would be
 *       hundreds of near-identical read/write methods, where a version check in the wrong place
 *       is an easy and silent bug. Here a version difference is one {@code .versions(n)}.</li>
 *   <li>Generating classes from Kafka's JSON gives typed accessors but needs a generator, a
 *       build step and generated sources to review; a new API or version would mean touching all
 *       three. Here it means adding a few fields.</li>
 *   <li>Generic structs cost a little speed against typed classes, but the costly part of a
 *       Kafka request is its record batches, and those are never decoded here: {@code RECORDS}
 *       values are slices of the request buffer, and fetch responses carry record sets as separate
 *       parts that a network layer can send with sendfile. The objects decoded are one small struct
 *       per topic and per partition, never per record.</li>
 * </ul>
 * Correctness comes from testing every (API, version, direction) byte for byte against Kafka's
 * own generated classes, rather than from trusting the descriptions.
 *
 * <h2>Hostile input</h2>
 * Every length and count read from the wire is checked against the bytes remaining before
 * anything is allocated; array counts are bounded by the remaining bytes divided by the smallest
 * possible element. Recursion follows the schema, whose depth is fixed, never the input. Malformed
 * input always ends in a {@link io.fjord.protocol.errors.ProtocolException} carrying the Kafka
 * error to answer with.
 */
package io.fjord.protocol;
