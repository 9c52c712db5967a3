package io.fjord.client.consumer;

import io.fjord.api.TopicPartition;
import io.fjord.api.consumer.OffsetAndMetadata;

import java.util.Map;

/** The outcome of a {@code commitAsync}, run on the application's thread in the order of the commits. */
@FunctionalInterface
public interface OffsetCommitCallback {

    /**
     * @param offsets the offsets the commit carried
     * @param exception null on success; otherwise why it failed
     */
    void onComplete(Map<TopicPartition, OffsetAndMetadata> offsets, Exception exception);
}
