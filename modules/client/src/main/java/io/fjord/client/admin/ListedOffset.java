package io.fjord.client.admin;

import java.util.Optional;

/** An offset ListOffsets found, with its record's timestamp (-1 if none) and leader epoch. */
public record ListedOffset(long offset, long timestamp, Optional<Integer> leaderEpoch) {
}
