/**
 * Record batches of magic 2, the unit Kafka produces, stores and fetches.
 *
 * <ul>
 *   <li>{@link io.fjord.protocol.record.RecordBatchIterator} walks concatenated batches and stops
 *       before a truncated tail; {@link io.fjord.protocol.record.RecordBatchView} reads and
 *       validates one batch in place and rewrites its offset, leader epoch and timestamp.</li>
 *   <li>{@link io.fjord.protocol.record.RecordCursor} walks the records of a batch without
 *       per-record objects, decompressing through a codec from a
 *       {@link io.fjord.protocol.record.CodecRegistry} the caller supplies.</li>
 *   <li>{@link io.fjord.protocol.record.RecordBatchBuilder} writes batches byte for byte as
 *       Kafka's builder does.</li>
 * </ul>
 *
 * <p>Malformed input ends in an {@link io.fjord.protocol.errors.ProtocolException} carrying
 * Kafka's error: {@code CORRUPT_MESSAGE} for framing, CRC and codec failures,
 * {@code INVALID_RECORD} for records that do not parse or do not match the header,
 * {@code UNSUPPORTED_COMPRESSION_TYPE} for a codec the registry lacks and
 * {@code UNSUPPORTED_FOR_MESSAGE_FORMAT} for message sets of magic 0 and 1.
 */
package io.fjord.protocol.record;
