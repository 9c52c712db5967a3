package io.fjord.api.producer;

import io.fjord.api.TopicPartition;

import java.util.Objects;

/**
 * Where an acknowledged record landed.
 *
 * @param topicPartition the partition
 * @param offset the record's offset, or -1 when not known (acks=0, or a failed send)
 * @param timestamp the create time, or the broker's append time for LogAppendTime topics
 * @param serializedKeySize the key's size in bytes, -1 for a null key
 * @param serializedValueSize the value's size in bytes, -1 for a null value
 */
public record RecordMetadata(TopicPartition topicPartition, long offset, long timestamp,
                             int serializedKeySize, int serializedValueSize) {

    public RecordMetadata {
        Objects.requireNonNull(topicPartition, "topicPartition");
    }

    public boolean hasOffset() {
        return offset >= 0;
    }
}
