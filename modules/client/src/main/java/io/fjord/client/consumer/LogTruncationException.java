package io.fjord.client.consumer;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;

import java.util.Map;

/**
 * The leader's log was truncated below the consumer's position (an unclean leader election lost
 * records the consumer had read) and {@code auto.offset.reset=none} forbids moving on by itself.
 * {@link #divergentOffsets} gives, per partition, the first offset known to diverge with its
 * epoch: seek there to go on reading from the records the new leader has. As Kafka's exception of
 * that name.
 */
public class LogTruncationException extends ClientException {
    private static final long serialVersionUID = 1L;

    private final transient Map<TopicPartition, OffsetAndMetadata> divergentOffsets;

    public LogTruncationException(Map<TopicPartition, OffsetAndMetadata> divergentOffsets, String message) {
        super(Errors.OFFSET_OUT_OF_RANGE, message);
        this.divergentOffsets = Map.copyOf(divergentOffsets);
    }

    public Map<TopicPartition, OffsetAndMetadata> divergentOffsets() {
        return divergentOffsets;
    }
}
