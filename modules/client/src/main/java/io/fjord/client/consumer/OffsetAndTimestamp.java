package io.fjord.client.consumer;

import java.util.Optional;

/**
 * The answer of {@code offsetsForTimes} for one partition: the first offset whose timestamp is at
 * least the one asked for, that record's timestamp and, if known, its leader epoch.
 */
public record OffsetAndTimestamp(long offset, long timestamp, Optional<Integer> leaderEpoch) {
}
