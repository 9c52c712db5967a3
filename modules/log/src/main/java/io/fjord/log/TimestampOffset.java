package io.fjord.log;

/**
 * A time-index entry resolved to absolute values.
 *
 * @param timestamp a record timestamp in ms
 * @param offset the absolute offset at or after which records with that timestamp are found
 */
public record TimestampOffset(long timestamp, long offset) {
}
