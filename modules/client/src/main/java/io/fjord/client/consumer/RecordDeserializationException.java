package io.fjord.client.consumer;

import io.fjord.api.TopicPartition;
import io.fjord.api.serialization.SerializationException;

/**
 * A record's key or value could not be deserialized. The consumer's position stays at the record,
 * so the next {@code poll} fails the same way unless the application seeks past {@link #offset()}.
 */
public class RecordDeserializationException extends SerializationException {
    private static final long serialVersionUID = 1L;

    private final transient TopicPartition partition;
    private final long offset;

    public RecordDeserializationException(TopicPartition partition, long offset, String message, Throwable cause) {
        super(message, cause);
        this.partition = partition;
        this.offset = offset;
    }

    public TopicPartition topicPartition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
