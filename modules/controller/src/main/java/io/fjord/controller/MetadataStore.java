package io.fjord.controller;

import io.fjord.common.errors.Errors;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Where the cluster metadata lives and how it changes: the service-provider interface behind the
 * broker's CreateTopics, DeleteTopics, CreatePartitions, IncrementalAlterConfigs, AlterConfigs
 * and DescribeConfigs handlers (topic configs and dynamic broker settings), and the source of the {@link MetadataImage} its Metadata, Produce and
 * Fetch handlers read. {@link SingleNodeMetadataStore} is the built-in implementation; other stores
 * (a replicated log, ZooKeeper) can implement this interface in their own module.
 *
 * <p>Contract for every implementation:
 * <ul>
 *   <li>{@link #image()} is cheap, lock-free and safe from any thread; an image never changes.</li>
 *   <li>A write method either commits its whole change durably and then publishes a new image,
 *       or changes nothing and throws {@link MetadataException} with the Kafka error code to
 *       answer (a write that cannot be persisted fails with {@link Errors#KAFKA_STORAGE_ERROR}).</li>
 *   <li>With {@code validateOnly} a method runs every check and returns what it would commit,
 *       without committing.</li>
 *   <li>{@link MetadataListener}s hear about each committed change in commit order.</li>
 * </ul>
 */
public interface MetadataStore extends AutoCloseable {

    /** The current snapshot. */
    MetadataImage image();

    /** The cluster id, fixed for the life of the log dirs. */
    default String clusterId() {
        return image().clusterId();
    }

    /** This broker's id. */
    default int nodeId() {
        return image().nodeId();
    }

    /**
     * Creates a topic after Kafka's checks: name, existence, collision, partitions, replication
     * factor, manual assignment, configs.
     *
     * @return the topic as created (or as it would be, with {@code validateOnly})
     * @throws MetadataException with INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
     *                           INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG or INVALID_REQUEST
     */
    TopicImage createTopic(NewTopic topic, boolean validateOnly);

    /**
     * Deletes a topic by name; listeners are told so the partition logs can be removed.
     *
     * @return the deleted topic
     * @throws MetadataException with UNKNOWN_TOPIC_OR_PARTITION
     */
    TopicImage deleteTopic(String name);

    /**
     * Deletes a topic by id (DeleteTopics v6+).
     *
     * @throws MetadataException with UNKNOWN_TOPIC_ID
     */
    TopicImage deleteTopic(UUID id);

    /**
     * Raises a topic's partition count (CreatePartitions).
     *
     * @param totalCount  the new total number of partitions
     * @param assignments the replicas of each new partition, or null to place them automatically
     * @throws MetadataException with UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS or INVALID_REPLICA_ASSIGNMENT
     */
    TopicImage createPartitions(String topic, int totalCount, List<List<Integer>> assignments, boolean validateOnly);

    /**
     * Applies SET, DELETE, APPEND and SUBTRACT operations to a topic's config overrides, all or
     * nothing.
     *
     * @return the topic's overrides after the change
     * @throws MetadataException with UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG or INVALID_REQUEST
     */
    Map<String, String> incrementalAlterConfigs(String topic, List<AlterConfigOp> ops, boolean validateOnly);

    /**
     * AlterConfigs: replaces every override of a topic with {@code configs} (keys left out fall
     * back to their defaults). Every key must be a known topic config with a valid, non-null value.
     * With {@code validateOnly} nothing changes.
     *
     * @return the topic's overrides after the change
     * @throws MetadataException UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG
     */
    Map<String, String> alterConfigs(String topic, Map<String, String> configs, boolean validateOnly);

    /**
     * Describes a topic's configs with their effective values and sources, sorted by name.
     *
     * @param keys the config names to describe, or null for all; unknown names are left out
     * @throws MetadataException with UNKNOWN_TOPIC_OR_PARTITION
     */
    List<ConfigEntry> describeConfigs(String topic, Collection<String> keys);

    /**
     * The topic for a Metadata or Produce request that named it, created with the broker's
     * defaults if it does not exist and {@code auto.create.topics.enable} is true.
     * {@code __consumer_offsets} is created as {@link #consumerOffsetsTopic()} creates it; the
     * other internal topics belong to their coordinators and are never auto-created.
     *
     * @throws MetadataException with UNKNOWN_TOPIC_OR_PARTITION when auto-creation is off,
     *                           INVALID_TOPIC_EXCEPTION for an illegal name, or any creation error
     */
    TopicImage autoCreateTopic(String name);

    /**
     * The internal {@code __consumer_offsets} topic, created on first use (FindCoordinator) with
     * the {@code offsets.topic.*} settings whatever {@code auto.create.topics.enable} says, as
     * Kafka's group coordinator does.
     *
     * @throws MetadataException with INVALID_REPLICATION_FACTOR when
     *                           {@code offsets.topic.replication.factor} exceeds the live brokers
     */
    TopicImage consumerOffsetsTopic();

    /**
     * The dynamic broker settings of one broker, or with {@code brokerId} empty the cluster-wide
     * defaults: what Kafka keeps in {@code /config/brokers/<id>} and {@code
     * /config/brokers/<default>} (or as BROKER config records). Empty when none are set.
     */
    default Map<String, String> brokerConfigs(OptionalInt brokerId) {
        return image().brokerConfigs().of(brokerId);
    }

    /**
     * Changes the dynamic settings of one broker, or with {@code brokerId} empty the cluster-wide
     * defaults, all or nothing: each entry sets its key, a null value removes it. The store keeps
     * names and values as given: the broker checks them first (which names are dynamic, their
     * types and ranges), as Kafka's brokers do before a change reaches the controller. Listeners
     * hear {@link MetadataListener#brokerConfigsChanged} unless nothing changed.
     *
     * @return the settings after the change
     * @throws MetadataException with KAFKA_STORAGE_ERROR when the change cannot be persisted
     */
    Map<String, String> alterBrokerConfigs(OptionalInt brokerId, Map<String, String> changes);

    /** Registers a listener for committed changes. */
    void addListener(MetadataListener listener);

    /** Releases the store's resources; the last image stays readable. */
    @Override
    void close();
}
