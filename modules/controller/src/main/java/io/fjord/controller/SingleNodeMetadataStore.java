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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
    public static final int MAX_PARTITIONS_PER_OPERATION = TopicRules.MAX_PARTITIONS_PER_OPERATION;

    private static final System.Logger LOG = System.getLogger(SingleNodeMetadataStore.class.getName());

    private final ControllerConfig config;
    /** Kafka's topic rules with this broker's topic defaults, static and dynamic; replaced when the dynamic ones change. */
    private volatile TopicRules rules;
    private final TopicRules.Placer placer = new TopicRules.Placer() {
        @Override
        public List<Integer> liveBrokers() {
            return SingleNodeMetadataStore.this.liveBrokers();
        }

        @Override
        public List<List<Integer>> place(int first, int count, int replicationFactor) {
            return SingleNodeMetadataStore.this.place(first, count, replicationFactor);
        }
    };
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image;
    private boolean closed;

    private SingleNodeMetadataStore(ControllerConfig config, MetadataImage image) {
        this.config = config;
        this.rules = rules(config, image);
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
        // Checked first, so that a bad broker-level topic default stops the start before any write.
        TopicConfigs.forBroker(config.properties());
        Map<Path, MetaProperties> found = LogDirs.readMeta(config);
        String clusterId = LogDirs.claim(config, null);
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
        return new SingleNodeMetadataStore(config, image);
    }

    private static TopicRules rules(ControllerConfig config, MetadataImage image) {
        DynamicBrokerConfigs dynamic = image.brokerConfigs();
        return new TopicRules(config, TopicConfigs.forBroker(config.properties(), dynamic.clusterDefault(),
                dynamic.of(OptionalInt.of(config.nodeId()))));
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
        TopicImage created = rules.newTopic(current, topic, placer);
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
        TopicImage grown = rules.grow(topic, totalCount, assignments, placer);
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
        Map<String, String> configs = rules.incrementalAlterConfigs(topic, ops);
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
        Map<String, String> replaced = rules.replacedConfigs(configs);
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
        return rules.describeConfigs(topic, keys);
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
                current.topicsByName().values(), current.brokers(), current.controllerId(),
                current.brokerConfigs().with(brokerId, after)));
        if (brokerId.isEmpty() || brokerId.getAsInt() == config.nodeId()) {
            rules = rules(config, image);
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
        return existing != null ? existing : createIfAbsent(rules.autoCreated(name));
    }

    @Override
    public TopicImage consumerOffsetsTopic() {
        TopicImage existing = image.topic(TopicNames.CONSUMER_OFFSETS);
        if (existing != null) {
            return existing;
        }
        return createIfAbsent(rules.consumerOffsetsTopic());
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
                current.brokers(), current.controllerId(), current.brokerConfigs());
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
