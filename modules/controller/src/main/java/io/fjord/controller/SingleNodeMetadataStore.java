package io.fjord.controller;

import io.fjord.api.ConfigException;
import io.fjord.controller.storage.MetaProperties;
import io.fjord.controller.storage.MetadataFile;
import io.fjord.common.errors.Errors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The built-in {@link MetadataStore} for a one-broker cluster, as a Kafka broker in KRaft
 * combined mode with a single voter keeps its metadata: the only live broker is this node, so
 * every replica list, every ISR and every leader is this node.
 *
 * <p>On disk: a {@code meta.properties} in each log dir (Kafka's format), and {@link
 * MetadataFile} in the metadata log dir, rewritten atomically on every change and reloaded at
 * start.
 *
 * <p>Concurrency: writes are serialized by this object's monitor; each builds a new {@link
 * MetadataImage}, persists it, then publishes it through a volatile field (see {@link
 * MetadataImage} for why readers need no lock). A failed persist leaves the published image as
 * it was.
 */
public final class SingleNodeMetadataStore implements MetadataStore {

    /**
     * The most partitions one operation may create. Bounds what a single request can make the
     * store allocate and persist; Kafka's controller has a similar per-operation record limit.
     */
    public static final int MAX_PARTITIONS_PER_OPERATION = 10_000;

    private static final System.Logger LOG = System.getLogger(SingleNodeMetadataStore.class.getName());

    private final ControllerConfig config;
    /** The topic defaults of this broker's settings, static and dynamic; replaced when the dynamic ones change. */
    private volatile TopicConfigs topicConfigs;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image;
    private boolean closed;

    private SingleNodeMetadataStore(ControllerConfig config, TopicConfigs topicConfigs, MetadataImage image) {
        this.config = config;
        this.topicConfigs = topicConfigs;
        this.image = image;
    }

    /**
     * Opens the store: checks or writes {@code meta.properties} in every log dir, then loads the
     * topic metadata.
     *
     * @throws ConfigException           if a dir belongs to another node or cluster, or a broker-level topic default is invalid
     * @throws CorruptMetadataException  if the metadata file fails its checks
     * @throws IOException               if a dir cannot be read or written
     */
    public static SingleNodeMetadataStore open(ControllerConfig config) throws IOException {
        TopicConfigs.forBroker(config.properties());
        List<Path> dirs = new ArrayList<>(config.logDirs());
        if (!dirs.contains(config.metadataLogDir())) {
            dirs.add(config.metadataLogDir());
        }
        Map<Path, MetaProperties> found = new LinkedHashMap<>();
        for (Path dir : dirs) {
            Files.createDirectories(dir);
            Optional<MetaProperties> meta = MetaProperties.read(dir);
            if (meta.isPresent()) {
                checkNodeId(dir, meta.get(), config.nodeId());
                found.put(dir, meta.get());
            }
        }
        String clusterId = clusterId(config, found);
        for (Path dir : dirs) {
            if (!found.containsKey(dir)) {
                new MetaProperties(clusterId, config.nodeId(), ClusterIds.toString(ClusterIds.randomId())).write(dir);
            }
        }
        Path metadataDir = config.metadataLogDir();
        Optional<MetadataImage> stored = MetadataFile.read(metadataDir);
        MetadataImage image;
        if (stored.isPresent()) {
            image = stored.get();
            if (!image.clusterId().equals(clusterId) || image.nodeId() != config.nodeId()) {
                throw new ConfigException("The metadata file " + MetadataFile.path(metadataDir) + " belongs to cluster "
                        + image.clusterId() + ", node " + image.nodeId() + ", but meta.properties says cluster "
                        + clusterId + ", node " + config.nodeId() + ". The log dirs have been mixed up.");
            }
        } else {
            if (found.containsKey(metadataDir) && hasSubdirectories(metadataDir)) {
                throw new IOException("The metadata file " + MetadataFile.path(metadataDir) + " is missing, but "
                        + metadataDir + " holds partition data. Refusing to start with an empty topic list,"
                        + " which would forget those topics; restore the file from a backup.");
            }
            image = MetadataImage.of(clusterId, config.nodeId(), 0, List.of());
            MetadataFile.write(metadataDir, image);
        }
        return new SingleNodeMetadataStore(config, topicConfigs(config, image), image);
    }

    private static TopicConfigs topicConfigs(ControllerConfig config, MetadataImage image) {
        DynamicBrokerConfigs dynamic = image.brokerConfigs();
        return TopicConfigs.forBroker(config.properties(), dynamic.clusterDefault(),
                dynamic.of(OptionalInt.of(config.nodeId())));
    }

    private static void checkNodeId(Path dir, MetaProperties meta, int nodeId) {
        if (meta.nodeId() != nodeId) {
            throw new ConfigException("Stored node id " + meta.nodeId() + " doesn't match previous node id "
                    + nodeId + " in " + dir + ". If you moved your data, make sure your configured node id matches."
                    + " If you intend to create a new node, you should remove all data in your data directories.");
        }
    }

    private static String clusterId(ControllerConfig config, Map<Path, MetaProperties> found) {
        String clusterId = config.clusterId();
        Path source = null;
        for (Map.Entry<Path, MetaProperties> e : found.entrySet()) {
            String stored = e.getValue().clusterId();
            if (clusterId == null) {
                clusterId = stored;
                source = e.getKey();
            } else if (!clusterId.equals(stored)) {
                String expectedFrom = source == null ? "fjord.cluster.id" : source.resolve(MetaProperties.FILE_NAME).toString();
                throw new ConfigException("Invalid cluster.id in: " + e.getKey().resolve(MetaProperties.FILE_NAME)
                        + ". Expected " + clusterId + " (from " + expectedFrom + "), but read " + stored + ".");
            }
        }
        return clusterId != null ? clusterId : ClusterIds.toString(ClusterIds.randomId());
    }

    private static boolean hasSubdirectories(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(Files::isDirectory);
        }
    }

    @Override
    public MetadataImage image() {
        return image;
    }

    @Override
    public synchronized TopicImage createTopic(NewTopic topic, boolean validateOnly) {
        MetadataImage current = image;
        TopicImage created = buildTopic(current, topic);
        if (!validateOnly) {
            List<TopicImage> topics = new ArrayList<>(current.topicsByName().values());
            topics.add(created);
            commit(next(current, topics));
            for (MetadataListener listener : listeners) {
                notify(listener, () -> listener.topicCreated(created));
            }
        }
        return created;
    }

    private TopicImage buildTopic(MetadataImage current, NewTopic topic) {
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
                checkManualReplicas(e.getValue(), replicaLists.isEmpty() ? -1 : replicaLists.get(0).size());
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
            replicaLists = place(0, numPartitions, replicationFactor);
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

    /** The live brokers: with one node, just this node. */
    private List<Integer> liveBrokers() {
        return List.of(config.nodeId());
    }

    /** Replica lists for partitions {@code first..first+count-1}, spread round-robin over the live brokers. */
    private List<List<Integer>> place(int first, int count, int replicationFactor) {
        List<Integer> brokers = liveBrokers();
        if (replicationFactor > brokers.size()) {
            throw new MetadataException(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                    + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only " + brokers.size() + " broker(s) are registered.");
        }
        List<List<Integer>> lists = new ArrayList<>(count);
        for (int p = first; p < first + count; p++) {
            Integer[] replicas = new Integer[replicationFactor];
            for (int r = 0; r < replicationFactor; r++) {
                replicas[r] = brokers.get((p + r) % brokers.size());
            }
            lists.add(List.of(replicas));
        }
        return lists;
    }

    private void checkManualReplicas(List<Integer> replicas, int expectedSize) {
        if (replicas.isEmpty()) {
            throw new MetadataException(Errors.INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        List<Integer> brokers = liveBrokers();
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
    private static List<PartitionImage> partitions(int first, List<List<Integer>> replicaLists) {
        List<PartitionImage> partitions = new ArrayList<>(replicaLists.size());
        for (int i = 0; i < replicaLists.size(); i++) {
            List<Integer> replicas = replicaLists.get(i);
            partitions.add(new PartitionImage(first + i, replicas.get(0), 0, 0, replicas, replicas));
        }
        return partitions;
    }

    @Override
    public synchronized TopicImage deleteTopic(String name) {
        TopicImage topic = image.topic(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
        return delete(topic);
    }

    @Override
    public synchronized TopicImage deleteTopic(UUID id) {
        TopicImage topic = image.topic(id);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_ID, "No topic with id " + ClusterIds.toString(id) + ".");
        }
        return delete(topic);
    }

    private TopicImage delete(TopicImage topic) {
        MetadataImage current = image;
        List<TopicImage> topics = new ArrayList<>(current.topicsByName().values());
        topics.remove(topic);
        commit(next(current, topics));
        for (MetadataListener listener : listeners) {
            notify(listener, () -> listener.topicDeleted(topic));
        }
        return topic;
    }

    @Override
    public synchronized TopicImage createPartitions(String name, int totalCount, List<List<Integer>> assignments,
                                                    boolean validateOnly) {
        MetadataImage current = image;
        TopicImage topic = current.topic(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
        int existing = topic.partitionCount();
        if (totalCount < existing) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "The topic " + name + " currently has "
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
                checkManualReplicas(replicas, replicationFactor);
            }
            replicaLists = assignments;
        } else {
            replicaLists = place(existing, added, replicationFactor);
        }
        List<PartitionImage> partitions = new ArrayList<>(topic.partitions());
        partitions.addAll(partitions(existing, replicaLists));
        TopicImage grown = new TopicImage(name, topic.id(), topic.internal(), partitions, topic.configs());
        if (!validateOnly) {
            replace(current, grown);
            for (MetadataListener listener : listeners) {
                notify(listener, () -> listener.partitionsCreated(topic, grown));
            }
        }
        return grown;
    }

    @Override
    public synchronized Map<String, String> incrementalAlterConfigs(String name, List<AlterConfigOp> ops,
                                                                   boolean validateOnly) {
        MetadataImage current = image;
        TopicImage topic = current.topic(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
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
        TopicImage changed = new TopicImage(name, topic.id(), topic.internal(), topic.partitions(), configs);
        if (!validateOnly && !changed.configs().equals(topic.configs())) {
            replace(current, changed);
            for (MetadataListener listener : listeners) {
                notify(listener, () -> listener.configsChanged(topic, changed));
            }
        }
        return changed.configs();
    }

    @Override
    public synchronized Map<String, String> alterConfigs(String name, Map<String, String> configs, boolean validateOnly) {
        MetadataImage current = image;
        TopicImage topic = current.topic(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
        Map<String, String> replaced = new HashMap<>(configs);
        topicConfigs.validateAll(replaced);
        TopicImage changed = new TopicImage(name, topic.id(), topic.internal(), topic.partitions(), replaced);
        if (!validateOnly && !changed.configs().equals(topic.configs())) {
            replace(current, changed);
            for (MetadataListener listener : listeners) {
                notify(listener, () -> listener.configsChanged(topic, changed));
            }
        }
        return changed.configs();
    }

    @Override
    public List<ConfigEntry> describeConfigs(String name, Collection<String> keys) {
        TopicImage topic = image.topic(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
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

    @Override
    public synchronized Map<String, String> alterBrokerConfigs(OptionalInt brokerId, Map<String, String> changes) {
        MetadataImage current = image;
        Map<String, String> before = current.brokerConfigs().of(brokerId);
        Map<String, String> after = new HashMap<>(before);
        changes.forEach((key, value) -> {
            if (value == null) {
                after.remove(key);
            } else {
                after.put(key, value);
            }
        });
        if (after.equals(before)) {
            return before;
        }
        commit(MetadataImage.of(current.clusterId(), current.nodeId(), current.epoch() + 1,
                current.topicsByName().values(), current.brokerConfigs().with(brokerId, after)));
        if (brokerId.isEmpty() || brokerId.getAsInt() == config.nodeId()) {
            topicConfigs = topicConfigs(config, image);
        }
        Map<String, String> changed = image.brokerConfigs().of(brokerId);
        for (MetadataListener listener : listeners) {
            notify(listener, () -> listener.brokerConfigsChanged(brokerId, before, changed));
        }
        return changed;
    }

    @Override
    public TopicImage autoCreateTopic(String name) {
        TopicImage existing = image.topic(name);
        if (existing != null) {
            return existing;
        }
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
        return createIfAbsent(NewTopic.of(name, -1, -1));
    }

    @Override
    public TopicImage consumerOffsetsTopic() {
        TopicImage existing = image.topic(TopicNames.CONSUMER_OFFSETS);
        if (existing != null) {
            return existing;
        }
        return createIfAbsent(new NewTopic(TopicNames.CONSUMER_OFFSETS, config.offsetsTopicNumPartitions(),
                config.offsetsTopicReplicationFactor(), Map.of(), Map.of(
                "cleanup.policy", "compact",
                "compression.type", "producer",
                "segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes()))));
    }

    /** Creates the topic unless another thread did so first: auto-creation races are normal. */
    private synchronized TopicImage createIfAbsent(NewTopic topic) {
        TopicImage existing = image.topic(topic.name());
        return existing != null ? existing : createTopic(topic, false);
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void close() {
        closed = true;
        listeners.clear();
    }

    private void replace(MetadataImage current, TopicImage topic) {
        List<TopicImage> topics = new ArrayList<>(current.topicsByName().values());
        topics.replaceAll(t -> t.name().equals(topic.name()) ? topic : t);
        commit(next(current, topics));
    }

    /** The image after {@code current} with the given topics and the same broker settings. */
    private static MetadataImage next(MetadataImage current, List<TopicImage> topics) {
        return MetadataImage.of(current.clusterId(), current.nodeId(), current.epoch() + 1, topics,
                current.brokerConfigs());
    }

    /** Persists, then publishes. Called with the monitor held. */
    private void commit(MetadataImage next) {
        if (closed) {
            throw new IllegalStateException("The metadata store is closed; the change was not made.");
        }
        try {
            MetadataFile.write(config.metadataLogDir(), next);
        } catch (IOException e) {
            throw new MetadataException(Errors.KAFKA_STORAGE_ERROR, "Could not persist the metadata in "
                    + config.metadataLogDir() + ": " + e.getMessage(), e);
        }
        image = next;
    }

    private static void notify(MetadataListener listener, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Metadata listener " + listener + " failed; the change stays committed", e);
        }
    }
}
