package io.fjord.api;

/**
 * What a record's timestamp means, as carried in bit 3 of a record batch's attributes and in
 * the topic config {@code message.timestamp.type}.
 */
public enum TimestampType {
    /** The record is older than timestamps (message format v0). */
    NO_TIMESTAMP_TYPE(-1, "NoTimestampType"),
    /** Set by the producer. */
    CREATE_TIME(0, "CreateTime"),
    /** Set by the broker when it appended the batch. */
    LOG_APPEND_TIME(1, "LogAppendTime");

    /** Kafka's numeric id of the type. */
    public final int id;
    /** Kafka's spelling, as used in {@code message.timestamp.type}. */
    public final String configName;

    TimestampType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The type spelled as in Kafka's {@code message.timestamp.type}, e.g. {@code CreateTime}. */
    public static TimestampType forConfigName(String name) {
        for (TimestampType t : values()) {
            if (t.configName.equals(name)) {
                return t;
            }
        }
        throw new ConfigException("message.timestamp.type", name, "expected CreateTime or LogAppendTime");
    }
}
