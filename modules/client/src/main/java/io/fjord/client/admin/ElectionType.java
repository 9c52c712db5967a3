package io.fjord.client.admin;

/** Which leader an ElectLeaders request asks for: Kafka's codes on the wire. */
public enum ElectionType {
    /** The first replica of the assignment, if it is in sync. */
    PREFERRED((byte) 0),
    /** Any live replica, in sync or not, when no in-sync replica is left. */
    UNCLEAN((byte) 1);

    private final byte value;

    ElectionType(byte value) {
        this.value = value;
    }

    public byte value() {
        return value;
    }
}
