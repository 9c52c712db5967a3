package io.fjord.cluster;

import io.fjord.cluster.controller.ReplicaPlacement;
import io.fjord.cluster.state.ConfigOverrides;
import io.fjord.cluster.state.TopicAssignment;
import io.fjord.common.errors.Errors;
import io.fjord.controller.AlterConfigOp;
import io.fjord.controller.BrokerNode;
import io.fjord.controller.ClusterIds;
import io.fjord.controller.ConfigEntry;
import io.fjord.controller.ControllerConfig;
import io.fjord.controller.DynamicBrokerConfigs;
import io.fjord.controller.MetadataException;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.MetadataListener;
import io.fjord.controller.MetadataStore;
import io.fjord.controller.NewTopic;
import io.fjord.controller.PartitionImage;
import io.fjord.controller.TopicConfigs;
import io.fjord.controller.TopicImage;
import io.fjord.controller.TopicNames;
import io.fjord.controller.TopicRules;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.controller.coordination.Versioned;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link MetadataStore} of a cluster member, as a Kafka broker in ZooKeeper mode worked: reads
 * come from the {@link ClusterMetadataCache} the controller feeds; admin changes are written to
 * the coordination store (a topic's assignment, its deletion request, its config overrides and the
 * dynamic broker settings in {@code /config/brokers/<id>} and {@code /config/brokers/<default>},
 * each with a change notification), where the controller and every broker pick them up, and the call returns once the change
 * has reached this broker's cache or the wait runs out.
 *
 * <p>Listeners hear about deleted topics and changed configs; partition logs are created by the
 * controller's LeaderAndIsr, not by this store.
 */
public final class ClusterMetadataStore implements MetadataStore {

    private static final Logger LOG = Logger.getLogger(ClusterMetadataStore.class.getName());

    private final CoordinationSession session;
    private final ClusterMetadataCache cache;
    /** Kafka's topic rules with this broker's topic defaults, static and dynamic; replaced when the dynamic ones change. */
    private volatile TopicRules rules;
    private final ReplicaPlacement placement = new ReplicaPlacement(new Random());
    private final ControllerConfig config;
    private final long waitMs;
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param waitMs how long a change waits to reach this broker's cache before it is answered
     *               anyway (it completes in the background)
     */
    public ClusterMetadataStore(CoordinationSession session, ClusterMetadataCache cache, ControllerConfig config,
            long waitMs) {
        this.session = session;
        this.cache = cache;
        this.config = config;
        this.rules = new TopicRules(config, TopicConfigs.forBroker(config.properties()));
        this.waitMs = waitMs;
    }

    @Override
    public MetadataImage image() {
        return cache.image();
    }

    /** Tells listeners about topics an UpdateMetadata deleted. */
    void topicsDeleted(List<TopicImage> topics) {
        for (TopicImage t : topics) {
            for (MetadataListener l : listeners) {
                notify(l, () -> l.topicDeleted(t));
            }
        }
    }

    /** Tells listeners a topic's overrides changed (read from the store after a change notification). */
    void configsChanged(TopicImage before, TopicImage after) {
        for (MetadataListener l : listeners) {
            notify(l, () -> l.configsChanged(before, after));
        }
    }

    private final TopicRules.Placer placer = new TopicRules.Placer() {
        @Override
        public List<Integer> liveBrokers() {
            return new ArrayList<>(image().brokers().keySet());
        }

        @Override
        public List<List<Integer>> place(int first, int count, int replicationFactor) {
            Map<Integer, String> racks = new LinkedHashMap<>();
            for (BrokerNode b : image().brokers().values()) {
                racks.put(b.id(), b.rack());
            }
            return placement.place(racks, count, replicationFactor, first);
        }
    };

    @Override
    public TopicImage createTopic(NewTopic topic, boolean validateOnly) {
        TopicImage created = rules.newTopic(image(), topic, placer);
        if (validateOnly) {
            return created;
        }
        List<List<Integer>> replicas = new ArrayList<>();
        created.partitions().forEach(p -> replicas.add(p.replicas()));
        List<Op> ops = new ArrayList<>();
        ops.add(new Op.Create(ClusterPaths.topic(created.name()), TopicAssignment.of(created.id(), replicas).toJson()));
        String configPath = ClusterPaths.topicConfig(created.name());
        Optional<Versioned> leftover = session.read(configPath);
        ops.add(leftover.isPresent()
                ? new Op.SetData(configPath, ConfigOverrides.toJson(created.configs()), leftover.get().version())
                : new Op.Create(configPath, ConfigOverrides.toJson(created.configs())));
        try {
            session.write(ops);
        } catch (CoordinationException e) {
            if (e.reason() == CoordinationException.Reason.CONDITION_FAILED) {
                throw new MetadataException(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + created.name() + "' already exists.");
            }
            throw unavailable(e);
        }
        cache.setConfigs(created.name(), created.configs());
        MetadataImage after = await(i -> hasLeaders(i.topic(created.name())));
        TopicImage known = after.topic(created.name());
        return known != null && known.partitionCount() == created.partitionCount() ? known : created;
    }

    private static boolean hasLeaders(TopicImage t) {
        return t != null && t.partitions().stream().allMatch(p -> p.leader() >= 0);
    }

    @Override
    public TopicImage deleteTopic(String name) {
        TopicImage topic = image().topic(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
        return delete(topic);
    }

    @Override
    public TopicImage deleteTopic(UUID id) {
        TopicImage topic = image().topic(id);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_ID, "No topic with id " + ClusterIds.toString(id) + ".");
        }
        return delete(topic);
    }

    private TopicImage delete(TopicImage topic) {
        try {
            session.write(List.of(new Op.Create(ClusterPaths.deleteTopic(topic.name()), new byte[0])));
        } catch (CoordinationException e) {
            if (e.reason() != CoordinationException.Reason.CONDITION_FAILED) {
                throw unavailable(e);
            }
            // Already marked for deletion: wait for it like the first request.
        }
        await(i -> {
            TopicImage now = i.topic(topic.name());
            return now == null || !now.id().equals(topic.id());
        });
        return topic;
    }

    @Override
    public TopicImage createPartitions(String topicName, int totalCount, List<List<Integer>> assignments,
            boolean validateOnly) {
        TopicImage topic = image().topic(topicName);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topicName + "' does not exist.");
        }
        TopicImage grown = rules.grow(topic, totalCount, assignments, placer);
        if (validateOnly) {
            return grown;
        }
        String path = ClusterPaths.topic(topicName);
        Versioned stored = session.read(path).orElseThrow(() -> new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "Topic '" + topicName + "' does not exist."));
        TopicAssignment current = TopicAssignment.fromJson(stored.data(), path);
        if (current.partitionCount() != topic.partitionCount()) {
            throw new MetadataException(Errors.REASSIGNMENT_IN_PROGRESS, "The partitions of topic '" + topicName
                    + "' are changing; try again.");
        }
        List<List<Integer>> replicas = new ArrayList<>(current.replicas());
        for (PartitionImage p : grown.partitions().subList(topic.partitionCount(), grown.partitionCount())) {
            replicas.add(p.replicas());
        }
        try {
            session.write(List.of(new Op.SetData(path, new TopicAssignment(current.id(), replicas, current.adding(),
                    current.removing()).toJson(), stored.version())));
        } catch (CoordinationException e) {
            if (e.reason() == CoordinationException.Reason.CONDITION_FAILED) {
                throw new MetadataException(Errors.REASSIGNMENT_IN_PROGRESS, "Topic '" + topicName
                        + "' changed while partitions were being added; try again.");
            }
            throw unavailable(e);
        }
        await(i -> {
            TopicImage t = i.topic(topicName);
            return t != null && t.partitionCount() >= totalCount;
        });
        return grown;
    }

    @Override
    public Map<String, String> incrementalAlterConfigs(String topicName, List<AlterConfigOp> ops, boolean validateOnly) {
        TopicImage topic = existing(topicName);
        Map<String, String> configs = rules.incrementalAlterConfigs(topic, ops);
        if (!validateOnly && !configs.equals(topic.configs())) {
            writeConfigs(topic, configs);
        }
        return Map.copyOf(configs);
    }

    @Override
    public Map<String, String> alterConfigs(String topicName, Map<String, String> configs, boolean validateOnly) {
        TopicImage topic = existing(topicName);
        Map<String, String> replaced = rules.replacedConfigs(configs);
        if (!validateOnly && !replaced.equals(topic.configs())) {
            writeConfigs(topic, replaced);
        }
        return Map.copyOf(replaced);
    }

    private void writeConfigs(TopicImage topic, Map<String, String> configs) {
        // The last writer wins, as with Kafka's ZooKeeper-mode config writes.
        String path = ClusterPaths.topicConfig(topic.name());
        boolean exists = session.read(path).isPresent();
        try {
            session.write(List.of(exists
                    ? new Op.SetData(path, ConfigOverrides.toJson(configs), Op.ANY_VERSION)
                    : new Op.Create(path, ConfigOverrides.toJson(configs))));
            session.createSequential(ClusterPaths.CONFIG_CHANGE_PREFIX,
                    ConfigOverrides.changeNotification("topics/" + topic.name()));
        } catch (CoordinationException e) {
            throw unavailable(e);
        }
        reloadConfigs(topic.name());
    }

    /** Re-reads a topic's overrides from the store and tells listeners if they changed. */
    public void reloadConfigs(String topicName) {
        String path = ClusterPaths.topicConfig(topicName);
        Map<String, String> now = session.read(path).map(v -> ConfigOverrides.fromJson(v.data(), path)).orElse(Map.of());
        TopicImage before = image().topic(topicName);
        if (before != null && before.configs().equals(now)) {
            return;
        }
        cache.setConfigs(topicName, now);
        TopicImage after = image().topic(topicName);
        if (before != null && after != null) {
            configsChanged(before, after);
        }
    }

    @Override
    public Map<String, String> alterBrokerConfigs(OptionalInt brokerId, Map<String, String> changes) {
        // Read, change, write: the last writer wins, as with Kafka's ZooKeeper-mode config writes.
        String entity = brokerId.isPresent() ? Integer.toString(brokerId.getAsInt()) : ClusterPaths.DEFAULT_BROKER_CONFIG;
        String path = ClusterPaths.BROKER_CONFIGS + "/" + entity;
        Optional<Versioned> stored = session.read(path);
        Map<String, String> before = stored.map(v -> ConfigOverrides.fromJson(v.data(), path)).orElse(Map.of());
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
        try {
            session.write(List.of(stored.isPresent()
                    ? new Op.SetData(path, ConfigOverrides.toJson(after), Op.ANY_VERSION)
                    : new Op.Create(path, ConfigOverrides.toJson(after))));
            session.createSequential(ClusterPaths.CONFIG_CHANGE_PREFIX, ConfigOverrides.changeNotification("brokers/" + entity));
        } catch (CoordinationException e) {
            throw unavailable(e);
        }
        reloadBrokerConfigs(entity);
        return Map.copyOf(after);
    }

    /**
     * Re-reads the dynamic settings of a broker, or the cluster-wide ones for {@code <default>},
     * and tells listeners if they changed. A name that is neither is ignored.
     */
    public synchronized void reloadBrokerConfigs(String entity) {
        OptionalInt brokerId;
        if (entity.equals(ClusterPaths.DEFAULT_BROKER_CONFIG)) {
            brokerId = OptionalInt.empty();
        } else {
            try {
                brokerId = OptionalInt.of(Integer.parseInt(entity));
            } catch (NumberFormatException e) {
                LOG.warning("Ignoring the broker settings of " + entity + ", which names no broker");
                return;
            }
        }
        String path = ClusterPaths.BROKER_CONFIGS + "/" + entity;
        Map<String, String> now = session.read(path).map(v -> ConfigOverrides.fromJson(v.data(), path)).orElse(Map.of());
        Map<String, String> before = image().brokerConfigs().of(brokerId);
        if (before.equals(now)) {
            return;
        }
        cache.setBrokerConfigs(brokerId, now);
        if (brokerId.isEmpty() || brokerId.getAsInt() == config.nodeId()) {
            rules = rules(config, image());
        }
        for (MetadataListener l : listeners) {
            notify(l, () -> l.brokerConfigsChanged(brokerId, before, now));
        }
    }

    private static TopicRules rules(ControllerConfig config, MetadataImage image) {
        DynamicBrokerConfigs dynamic = image.brokerConfigs();
        return new TopicRules(config, TopicConfigs.forBroker(config.properties(), dynamic.clusterDefault(),
                dynamic.of(OptionalInt.of(config.nodeId()))));
    }

    @Override
    public List<ConfigEntry> describeConfigs(String topicName, Collection<String> keys) {
        return rules.describeConfigs(existing(topicName), keys);
    }

    @Override
    public TopicImage autoCreateTopic(String name) {
        TopicImage existing = image().topic(name);
        return existing != null ? existing : createIfAbsent(rules.autoCreated(name));
    }

    @Override
    public TopicImage consumerOffsetsTopic() {
        TopicImage existing = image().topic(TopicNames.CONSUMER_OFFSETS);
        return existing != null ? existing : createIfAbsent(rules.consumerOffsetsTopic());
    }

    private TopicImage createIfAbsent(NewTopic topic) {
        try {
            return createTopic(topic, false);
        } catch (MetadataException e) {
            if (e.error() != Errors.TOPIC_ALREADY_EXISTS) {
                throw e;
            }
            TopicImage t = await(i -> i.topic(topic.name()) != null).topic(topic.name());
            if (t == null) {
                throw new MetadataException(Errors.LEADER_NOT_AVAILABLE, "Topic '" + topic.name()
                        + "' is being created; its leaders are not known yet.");
            }
            return t;
        }
    }

    @Override
    public void addListener(MetadataListener listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        listeners.clear();
    }

    private TopicImage existing(String name) {
        TopicImage topic = image().topic(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
        return topic;
    }

    private MetadataImage await(Predicate<MetadataImage> condition) {
        try {
            return cache.await(condition, waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return image();
        }
    }

    private static MetadataException unavailable(CoordinationException e) {
        return new MetadataException(Errors.KAFKA_STORAGE_ERROR, "The cluster metadata store is unavailable: "
                + e.getMessage(), e);
    }

    private static void notify(MetadataListener listener, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Metadata listener " + listener + " failed", e);
        }
    }
}
