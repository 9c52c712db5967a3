package io.fjord.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the topic -> partition shape most responses share (Produce, Fetch, ListOffsets,
 * DeleteRecords, OffsetCommit, OffsetFetch, OffsetDelete): partition results are added with their
 * topic's name and land in that topic's entry, made on the topic's first partition.
 *
 * <p>{@link #merged} keeps one entry per topic, in the order topics first appear; {@link
 * #consecutive} starts a new entry whenever the topic changes, so a topic the request split stays
 * split and the answer lists partitions exactly in request order (Fetch).
 *
 * @param <T> the response's topic struct
 * @param <P> the response's partition struct
 */
final class TopicResponses<T, P> {

    private final Function<String, T> newTopic;
    private final Function<T, List<P>> partitionsOf;
    private final boolean merge;
    private final List<T> topics = new ArrayList<>();
    private final Map<String, T> byName = new LinkedHashMap<>();
    private String lastName;
    private T last;

    private TopicResponses(Function<String, T> newTopic, Function<T, List<P>> partitionsOf, boolean merge) {
        this.newTopic = newTopic;
        this.partitionsOf = partitionsOf;
        this.merge = merge;
    }

    static <T, P> TopicResponses<T, P> merged(Function<String, T> newTopic, Function<T, List<P>> partitionsOf) {
        return new TopicResponses<>(newTopic, partitionsOf, true);
    }

    static <T, P> TopicResponses<T, P> consecutive(Function<String, T> newTopic, Function<T, List<P>> partitionsOf) {
        return new TopicResponses<>(newTopic, partitionsOf, false);
    }

    /** Adds {@code partition} under {@code topic}; returns it. */
    P add(String topic, P partition) {
        T entry;
        if (merge) {
            entry = byName.get(topic);
            if (entry == null) {
                entry = newTopic.apply(topic);
                byName.put(topic, entry);
                topics.add(entry);
            }
        } else if (last != null && lastName.equals(topic)) {
            entry = last;
        } else {
            entry = newTopic.apply(topic);
            topics.add(entry);
        }
        last = entry;
        lastName = topic;
        partitionsOf.apply(entry).add(partition);
        return partition;
    }

    /** The topic entries, in order; the list the response takes. */
    List<T> topics() {
        return topics;
    }
}
