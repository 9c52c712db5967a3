package io.fjord.client.admin;

/**
 * Which offset ListOffsets should find: the earliest, the latest, the first at or after a
 * timestamp, or the one with the largest timestamp. {@link #timestamp()} is the wire value
 * (-2, -1, the timestamp, -3).
 */
public record OffsetSpec(long timestamp) {

    public static OffsetSpec earliest() {
        return new OffsetSpec(-2);
    }

    public static OffsetSpec latest() {
        return new OffsetSpec(-1);
    }

    public static OffsetSpec maxTimestamp() {
        return new OffsetSpec(-3);
    }

    public static OffsetSpec forTimestamp(long timestamp) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must not be negative: " + timestamp);
        }
        return new OffsetSpec(timestamp);
    }
}
