package io.fjord.controller;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Told about committed metadata changes, so the log layer can create and delete partition logs
 * and the broker can apply changed settings.
 *
 * <p>Calls come after the change is durable and visible in {@link MetadataStore#image()}, one at
 * a time and in commit order, on the thread that made the change and while the store's write
 * lock is held. A listener must therefore return quickly and must not call back into the store's
 * write methods: slow work such as deleting a topic's segment files belongs on the listener's own
 * executor. An exception thrown by a listener is logged and does not undo the change.
 */
public interface MetadataListener {

    /** A topic was created with all its partitions. */
    default void topicCreated(TopicImage topic) {
    }

    /** Partitions were added to a topic; {@code after} holds the old partitions and the new ones. */
    default void partitionsCreated(TopicImage before, TopicImage after) {
    }

    /** A topic was deleted; its partition logs should go (asynchronously). */
    default void topicDeleted(TopicImage topic) {
    }

    /** A topic's config overrides changed. */
    default void configsChanged(TopicImage before, TopicImage after) {
    }

    /**
     * The dynamic settings of a broker ({@code brokerId} present) or the cluster-wide defaults
     * ({@code brokerId} empty) changed from {@code before} to {@code after}; a broker applies
     * them if they are its own or the defaults.
     */
    default void brokerConfigsChanged(OptionalInt brokerId, Map<String, String> before, Map<String, String> after) {
    }
}
