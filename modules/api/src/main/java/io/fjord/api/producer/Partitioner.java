package io.fjord.api.producer;

import io.fjord.api.Cluster;
import io.fjord.api.Plugin;

/**
 * Chooses the partition of a record that was sent without one, as Kafka's
 * {@code org.apache.kafka.clients.producer.Partitioner} does. Selected by
 * {@code partitioner.class} (a {@link #name()} or a class name).
 *
 * <p>Called on the sending thread for every record, so it must be fast and thread-safe. The
 * returned number must be a partition of the topic in {@code cluster}; the producer fails the
 * send otherwise.
 */
public interface Partitioner extends Plugin {

    /**
     * @param topic the topic
     * @param key the key object, or null
     * @param keyBytes the serialized key, or null
     * @param value the value object, or null
     * @param valueBytes the serialized value, or null
     * @param cluster the metadata the producer holds now
     * @return the partition number
     */
    int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster);
}
