package io.fjord.client.producer.internals;

import io.fjord.api.TopicPartition;
import io.fjord.api.producer.RecordMetadata;
import io.fjord.client.producer.Callback;

import java.util.concurrent.Future;

/** The future of a record that failed before it reached a batch; its callback has run once. */
public final class FailedFuture {

    private FailedFuture() {
    }

    /**
     * A completed future failing with {@code error}, after running {@code callback}.
     *
     * @param partition the record's partition if it named one, else {@code null}
     */
    public static Future<RecordMetadata> of(String topic, Integer partition, RuntimeException error, Callback callback) {
        TopicPartition tp = new TopicPartition(topic, partition == null ? 0 : partition);
        ProduceResult result = new ProduceResult();
        result.complete(-1, -1, error);
        FutureRecordMetadata future = new FutureRecordMetadata(tp, result, 0, -1, -1, -1);
        if (callback != null) {
            try {
                callback.onCompletion(partition == null ? null : future.metadata(), error);
            } catch (RuntimeException ignored) {
                // A callback's own failure is not the send's.
            }
        }
        return future;
    }
}
