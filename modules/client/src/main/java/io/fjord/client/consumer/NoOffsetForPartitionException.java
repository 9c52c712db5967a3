package io.fjord.client.consumer;

import io.fjord.api.TopicPartition;
import io.fjord.client.errors.ClientException;
import io.fjord.common.errors.Errors;

import java.util.Set;

/**
 * The consumer has no position for these partitions and {@code auto.offset.reset=none} forbids
 * choosing one, or their position is out of range under that policy.
 */
public class NoOffsetForPartitionException extends ClientException {
    private static final long serialVersionUID = 1L;

    private final transient Set<TopicPartition> partitions;

    public NoOffsetForPartitionException(Errors error, Set<TopicPartition> partitions, String message) {
        super(error, message);
        this.partitions = Set.copyOf(partitions);
    }

    public Set<TopicPartition> partitions() {
        return partitions;
    }
}
