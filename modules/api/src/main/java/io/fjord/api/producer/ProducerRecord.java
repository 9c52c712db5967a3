package io.fjord.api.producer;

import io.fjord.api.Headers;

import java.util.Objects;

/**
 * A record to send: topic, optional partition and timestamp, key, value and headers.
 *
 * @param topic the topic, never null
 * @param partition the partition, or null to let the partitioner choose
 * @param timestamp the create time in ms since the epoch, or null to use the send time
 * @param key the key, or null
 * @param value the value, or null (a tombstone on compacted topics)
 * @param headers the headers, never null
 * @param <K> key type
 * @param <V> value type
 */
public record ProducerRecord<K, V>(String topic, Integer partition, Long timestamp, K key, V value, Headers headers) {

    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(headers, "headers");
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("partition must not be negative: " + partition);
        }
        if (timestamp != null && timestamp < 0) {
            throw new IllegalArgumentException("timestamp must not be negative: " + timestamp);
        }
    }

    public ProducerRecord(String topic, K key, V value) {
        this(topic, null, null, key, value, new Headers());
    }

    public ProducerRecord(String topic, V value) {
        this(topic, null, null, null, value, new Headers());
    }
}
