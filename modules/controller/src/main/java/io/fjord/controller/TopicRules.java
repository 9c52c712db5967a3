package io.fjord.controller;

import io.fjord.common.errors.Errors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Kafka's rules for topic changes, shared by every {@link MetadataStore}: what a created topic, a
 * grown topic or an altered config would be, checked as Kafka checks them, without committing
 * anything. A store supplies where replicas may go ({@link Placer}) and commits the result its own
 * way.
 */
public final class TopicRules {

    /**
     * The most partitions one operation may create. Bounds what a single request can make a store
     * allocate and persist; Kafka's controller has a similar per-operation record limit.
     */
    public static final int MAX_PARTITIONS_PER_OPERATION = 10_000;

    /** Where a store may place replicas. */
    public interface Placer {

        /** The brokers a manual assignment may name. */
        List<Integer> liveBrokers();

        /**
         * Replica lists for partitions {@code first..first+count-1}.
         *
         * @throws MetadataException INVALID_REPLICATION_FACTOR when the brokers are too few
         */
        List<List<Integer>> place(int first, int count, int replicationFactor);
    }

    private final ControllerConfig config;
    private final TopicConfigs topicConfigs;

    public TopicRules(ControllerConfig config, TopicConfigs topicConfigs) {
        this.config = config;
        this.topicConfigs = topicConfigs;
    }

    /**
     * The topic {@code topic} would be once created, after Kafka's checks against {@code current}.
     *
     * @throws MetadataException as {@link MetadataStore#createTopic}
     */
    public TopicImage newTopic(MetadataImage current, NewTopic topic, Placer placer) {
        String name = topic.name();
        TopicNames.validate(name);
        if (name.equals(TopicNames.CLUSTER_METADATA)) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Creation of internal topic " + name + " is prohibited.");
        }
        if (current.topic(name) != null) {
            throw new MetadataException(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        String key = TopicNames.collisionKey(name);
        for (String existing : current.topicsByName().keySet()) {
            if (TopicNames.collisionKey(existing).equals(key)) {
                throw new MetadataException(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name
                        + "' collides with existing topic: " + existing);
            }
        }
        List<List<Integer>> replicaLists;
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1) {
                throw new MetadataException(Errors.INVALID_REQUEST,
                        "A manual partition assignment was specified, but numPartitions was not set to -1.");
            }
            if (topic.replicationFactor() != -1) {
                throw new MetadataException(Errors.INVALID_REQUEST,
                        "A manual partition assignment was specified, but replicationFactor was not set to -1.");
            }
            if (topic.assignments().size() > MAX_PARTITIONS_PER_OPERATION) {
                throw tooManyPartitions(topic.assignments().size());
            }
            replicaLists = new ArrayList<>();
            int expected = 0;
            for (Map.Entry<Integer, List<Integer>> e : topic.assignments().entrySet()) {
                if (e.getKey() != expected) {
                    throw new MetadataException(Errors.INVALID_REPLICA_ASSIGNMENT,
                            "Partitions should be a consecutive 0-based integer sequence, but partition "
                                    + expected + " is missing from the manual assignment " + topic.assignments().keySet() + ".");
                }
                expected++;
                checkManualReplicas(e.getValue(), replicaLists.isEmpty() ? -1 : replicaLists.get(0).size(), placer);
                replicaLists.add(e.getValue());
            }
        } else {
            int replicationFactor = topic.replicationFactor() == -1
                    ? config.defaultReplicationFactor() : topic.replicationFactor();
            int numPartitions = topic.numPartitions() == -1 ? config.numPartitions() : topic.numPartitions();
            if (replicationFactor <= 0) {
                throw new MetadataException(Errors.INVALID_REPLICATION_FACTOR,
                        "Replication factor must be larger than 0, or -1 to use the default value.");
            }
            if (numPartitions <= 0) {
                throw new MetadataException(Errors.INVALID_PARTITIONS,
                        "Number of partitions was set to an invalid non-positive value.");
            }
            if (numPartitions > MAX_PARTITIONS_PER_OPERATION) {
                throw tooManyPartitions(numPartitions);
            }
            replicaLists = placer.place(0, numPartitions, replicationFactor);
        }
        topicConfigs.validateAll(topic.configs());
        UUID id = ClusterIds.randomId();
        while (current.topic(id) != null) {
            id = ClusterIds.randomId();
        }
        return new TopicImage(name, id, TopicNames.isInternal(name), partitions(0, replicaLists), topic.configs());
    }

    private static MetadataException tooManyPartitions(int requested) {
        return new MetadataException(Errors.INVALID_PARTITIONS, "Unable to create " + requested
                + " partitions in one operation; the limit is " + MAX_PARTITIONS_PER_OPERATION + ".");
    }

    /**
     * The topic with partitions added up to {@code totalCount}, placed by {@code assignments} or by
     * the placer.
     *
     * @throws MetadataException as {@link MetadataStore#createPartitions}
     */
    public TopicImage grow(TopicImage topic, int totalCount, List<List<Integer>> assignments, Placer placer) {
        int existing = topic.partitionCount();
        if (totalCount < existing) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "The topic " + topic.name() + " currently has "
                    + existing + " partition(s); " + totalCount + " would not be an increase.");
        }
        if (totalCount == existing) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "Topic already has " + existing + " partition(s).");
        }
        int added = totalCount - existing;
        if (added > MAX_PARTITIONS_PER_OPERATION) {
            throw tooManyPartitions(added);
        }
        int replicationFactor = topic.partitions().get(0).replicas().size();
        List<List<Integer>> replicaLists;
        if (assignments != null) {
            if (assignments.size() != added) {
                throw new MetadataException(Errors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + added
                        + " additional partition(s), but only " + assignments.size() + " assignment(s) were specified.");
            }
            for (List<Integer> replicas : assignments) {
                checkManualReplicas(replicas, replicationFactor, placer);
            }
            replicaLists = assignments;
        } else {
            replicaLists = placer.place(existing, added, replicationFactor);
        }
        List<PartitionImage> partitions = new ArrayList<>(topic.partitions());
        partitions.addAll(partitions(existing, replicaLists));
        return new TopicImage(topic.name(), topic.id(), topic.internal(), partitions, topic.configs());
    }

    /**
     * The overrides after IncrementalAlterConfigs' operations.
     *
     * @throws MetadataException as {@link MetadataStore#incrementalAlterConfigs}
     */
    public Map<String, String> incrementalAlterConfigs(TopicImage topic, List<AlterConfigOp> ops) {
        Set<String> keys = new HashSet<>();
        for (AlterConfigOp op : ops) {
            if (!keys.add(op.key())) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Error due to duplicate config keys: " + op.key());
            }
        }
        Map<String, String> configs = new HashMap<>(topic.configs());
        for (AlterConfigOp op : ops) {
            String key = op.key();
            if (!TopicConfigs.isKnown(key)) {
                throw new MetadataException(Errors.INVALID_CONFIG, "Unknown topic config name: " + key);
            }
            switch (op.type()) {
                case SET -> {
                    TopicConfigs.validate(key, op.value());
                    configs.put(key, op.value());
                }
                case DELETE -> configs.remove(key);
                case APPEND, SUBTRACT -> {
                    if (!TopicConfigs.isList(key)) {
                        throw new MetadataException(Errors.INVALID_CONFIG, "Can't " + op.type() + " to key " + key
                                + " because its type is not LIST.");
                    }
                    if (op.value() == null) {
                        throw new MetadataException(Errors.INVALID_CONFIG,
                                "Null value not supported for topic configs: " + key);
                    }
                    // The effective value, the broker's or Kafka's default included: APPEND compact
                    // to a topic without an override gives "delete,compact", as in Kafka.
                    String present = configs.containsKey(key) ? configs.get(key) : topicConfigs.brokerDefault(key).value();
                    Set<String> items = new LinkedHashSet<>(TopicConfigs.parseList(present));
                    List<String> operands = TopicConfigs.parseList(op.value());
                    if (op.type() == AlterConfigOp.Type.APPEND) {
                        items.addAll(operands);
                    } else {
                        items.removeAll(operands);
                    }
                    String value = String.join(",", items);
                    TopicConfigs.validate(key, value);
                    configs.put(key, value);
                }
                default -> throw new IllegalStateException("unhandled operation " + op.type());
            }
        }
        topicConfigs.validateAll(configs);
        return configs;
    }

    /** AlterConfigs' replacement overrides, checked. */
    public Map<String, String> replacedConfigs(Map<String, String> configs) {
        Map<String, String> replaced = new HashMap<>(configs);
        topicConfigs.validateAll(replaced);
        return replaced;
    }

    /** A topic's configs as DescribeConfigs reports them, of the given keys (null for all). */
    public List<ConfigEntry> describeConfigs(TopicImage topic, Collection<String> keys) {
        List<ConfigEntry> entries = topicConfigs.describe(topic.configs());
        if (keys == null) {
            return entries;
        }
        Set<String> wanted = Set.copyOf(keys);
        List<ConfigEntry> selected = new ArrayList<>(wanted.size());
        for (ConfigEntry entry : entries) {
            if (wanted.contains(entry.name())) {
                selected.add(entry);
            }
        }
        return selected;
    }

    /**
     * The topic auto-creation makes for a name a Metadata or Produce request used: the broker's
     * defaults, or for {@code __consumer_offsets} the coordinator's settings; other internal topics
     * belong to their coordinators.
     *
     * @throws MetadataException UNKNOWN_TOPIC_OR_PARTITION when {@code auto.create.topics.enable}
     *                           is off, INVALID_REQUEST for another internal topic
     */
    public NewTopic autoCreated(String name) {
        if (!config.autoCreateTopicsEnable()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name
                    + "' does not exist and auto.create.topics.enable is false.");
        }
        if (name.equals(TopicNames.CONSUMER_OFFSETS)) {
            return consumerOffsetsTopic();
        }
        if (TopicNames.isInternal(name)) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Internal topic " + name
                    + " is created by its coordinator, not by auto-creation.");
        }
        return NewTopic.of(name, -1, -1);
    }

    /** {@code __consumer_offsets} as the group coordinator creates it, from the {@code offsets.topic.*} settings. */
    public NewTopic consumerOffsetsTopic() {
        return new NewTopic(TopicNames.CONSUMER_OFFSETS, config.offsetsTopicNumPartitions(),
                config.offsetsTopicReplicationFactor(), Map.of(), Map.of(
                "cleanup.policy", "compact",
                "compression.type", "producer",
                "segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes())));
    }

    private static void checkManualReplicas(List<Integer> replicas, int expectedSize, Placer placer) {
        if (replicas.isEmpty()) {
            throw new MetadataException(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        List<Integer> brokers = placer.liveBrokers();
        for (Integer broker : replicas) {
            if (!seen.add(broker)) {
                throw new MetadataException(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes the broker " + broker + " more than once.");
            }
            if (!brokers.contains(broker)) {
                throw new MetadataException(Errors.INVALID_REPLICA_ASSIGNMENT,
                        "The manual partition assignment includes broker " + broker
                                + ", but no such broker is registered.");
            }
        }
        if (expectedSize != -1 && replicas.size() != expectedSize) {
            throw new MetadataException(Errors.INVALID_REPLICA_ASSIGNMENT, "The manual partition assignment includes a"
                    + " partition with " + replicas.size() + " replica(s), but this is inconsistent with previous"
                    + " partitions, which have " + expectedSize + " replica(s).");
        }
    }

    /** New partitions: the first replica leads at epoch 0, every replica is in sync. */
    static List<PartitionImage> partitions(int first, List<List<Integer>> replicaLists) {
        List<PartitionImage> partitions = new ArrayList<>(replicaLists.size());
        for (int i = 0; i < replicaLists.size(); i++) {
            List<Integer> replicas = replicaLists.get(i);
            partitions.add(new PartitionImage(first + i, replicas.get(0), 0, 0, replicas, replicas));
        }
        return partitions;
    }

}
