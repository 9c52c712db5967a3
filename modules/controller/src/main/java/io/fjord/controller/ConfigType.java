package io.fjord.controller;

/** The type of a config's value, with Kafka's wire ids ({@code DescribeConfigsResponse.ConfigType}). */
public enum ConfigType {
    UNKNOWN(0), BOOLEAN(1), STRING(2), INT(3), SHORT(4), LONG(5), DOUBLE(6), LIST(7), CLASS(8), PASSWORD(9);

    private final byte id;

    ConfigType(int id) {
        this.id = (byte) id;
    }

    /** The id sent on the wire in DescribeConfigs v3+. */
    public byte id() {
        return id;
    }
}
