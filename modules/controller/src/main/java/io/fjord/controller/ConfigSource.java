package io.fjord.controller;

/**
 * Where a config value reported by DescribeConfigs comes from, with Kafka's wire ids
 * ({@code DescribeConfigsResponse.ConfigSource}).
 */
public enum ConfigSource {
    /** An override set on the topic. */
    DYNAMIC_TOPIC_CONFIG(1),
    /** A broker setting altered at run time for this broker (kept in the metadata store). */
    DYNAMIC_BROKER_CONFIG(2),
    /** A broker setting altered at run time as the default of every broker in the cluster. */
    DYNAMIC_DEFAULT_BROKER_CONFIG(3),
    /** A value set in the broker's {@code server.properties} (or {@code --override}). */
    STATIC_BROKER_CONFIG(4),
    /** Kafka's built-in default. */
    DEFAULT_CONFIG(5);

    private final byte id;

    ConfigSource(int id) {
        this.id = (byte) id;
    }

    /** The id sent on the wire in DescribeConfigs v1+. */
    public byte id() {
        return id;
    }
}
