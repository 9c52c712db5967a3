package io.fjord.log;

/**
 * What the producer state remembers of one appended batch of an idempotent producer, enough to
 * recognise a retry and answer it with the original offsets.
 *
 * @param firstSeq the batch's base sequence
 * @param lastSeq the sequence of its last record
 * @param firstOffset the offset assigned to its first record
 * @param lastOffset the offset assigned to its last record
 * @param timestamp its max timestamp
 */
public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long timestamp) {
}
