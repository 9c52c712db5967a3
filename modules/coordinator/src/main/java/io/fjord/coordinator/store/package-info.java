/**
 * The records of {@code __consumer_offsets}, in Kafka's own layout so Kafka's tools and brokers
 * read Fjord's offsets topic and the other way round.
 *
 * <p>Every record key starts with an INT16 record type (Kafka calls it the key version); every
 * value with an INT16 version. A null value is a tombstone: the key's offset or group is gone.
 * Fields are big-endian; a STRING is an INT16 length and UTF-8 bytes (null: length -1), BYTES an
 * INT32 length and the bytes. Versions 4 and up of the values are flexible (compact lengths,
 * tagged fields); Fjord reads them and writes version 3.
 *
 * <pre>
 * OffsetCommitKey   (type 0 or 1): group STRING, topic STRING, partition INT32
 * OffsetCommitValue (version 0-4): offset INT64, leaderEpoch INT32 (v3+), metadata STRING,
 *                                  commitTimestamp INT64, expireTimestamp INT64 (v1 only)
 * GroupMetadataKey  (type 2):      group STRING
 * GroupMetadataValue (version 0-4): protocolType STRING, generation INT32,
 *                                  protocol NULLABLE STRING, leader NULLABLE STRING,
 *                                  currentStateTimestamp INT64 (v2+),
 *                                  members [memberId STRING, groupInstanceId NULLABLE STRING (v3+),
 *                                           clientId STRING, clientHost STRING,
 *                                           rebalanceTimeout INT32 (v1+), sessionTimeout INT32,
 *                                           subscription BYTES, assignment BYTES]
 * </pre>
 *
 * Record types 3 and up belong to KIP-848 consumer groups and share groups; they are skipped.
 */
package io.fjord.coordinator.store;
