package io.fjord.api.consumer;

import io.fjord.api.Plugin;
import io.fjord.api.TopicPartition;

import java.util.Map;

/**
 * Sees, and may replace, the records a consumer's {@code poll} returns, and learns of every
 * successful offset commit, as Kafka's {@code ConsumerInterceptor}. Selected by
 * {@code interceptor.classes}; several run in the configured order.
 *
 * <p>Both methods run on the application's polling thread. Exceptions are logged and ignored.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface ConsumerInterceptor<K, V> extends Plugin {

    /**
     * Called just before {@code poll} returns.
     *
     * @return the records to hand to the application: {@code records} or a replacement, never null
     */
    ConsumerRecords<K, V> onConsume(ConsumerRecords<K, V> records);

    /** Called after the broker accepted a commit of these offsets. */
    void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets);
}
