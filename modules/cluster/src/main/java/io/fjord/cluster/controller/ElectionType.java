package io.fjord.cluster.controller;

/** The kinds of ElectLeaders request, with Kafka's wire values. */
public enum ElectionType {
    /** Move leadership back to the first assigned replica where it is live and in sync. */
    PREFERRED((byte) 0),
    /** Give a leaderless partition a leader, from outside the ISR if nothing in it is live. */
    UNCLEAN((byte) 1);

    private final byte value;

    ElectionType(byte value) {
        this.value = value;
    }

    public byte value() {
        return value;
    }

    /** The type for a wire value, or null for an unknown one. */
    public static ElectionType of(byte value) {
        for (ElectionType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        return null;
    }
}
