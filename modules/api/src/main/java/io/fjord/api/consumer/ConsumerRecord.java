package io.fjord.api.consumer;

import io.fjord.api.Headers;
import io.fjord.api.TimestampType;
import io.fjord.api.TopicPartition;

import java.util.Objects;
import java.util.Optional;

/**
 * A record as a consumer receives it.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the record's offset in the partition
 * @param timestamp the timestamp, of the kind {@code timestampType} says
 * @param timestampType what the timestamp means
 * @param serializedKeySize the key's size in bytes, -1 for a null key
 * @param serializedValueSize the value's size in bytes, -1 for a null value
 * @param key the deserialized key, or null
 * @param value the deserialized value, or null
 * @param headers the headers (read-only)
 * @param leaderEpoch the leader epoch the batch was written in, if known
 * @param <K> key type
 * @param <V> value type
 */
public record ConsumerRecord<K, V>(String topic, int partition, long offset, long timestamp,
                                   TimestampType timestampType, int serializedKeySize, int serializedValueSize,
                                   K key, V value, Headers headers, Optional<Integer> leaderEpoch) {

    public ConsumerRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timestampType, "timestampType");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(leaderEpoch, "leaderEpoch");
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
