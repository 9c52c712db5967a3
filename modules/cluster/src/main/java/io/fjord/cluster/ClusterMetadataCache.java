package io.fjord.cluster;

import io.fjord.cluster.state.BrokerRegistration;
import io.fjord.controller.BrokerNode;
import io.fjord.controller.DynamicBrokerConfigs;
import io.fjord.controller.MetadataImage;
import io.fjord.controller.PartitionImage;
import io.fjord.controller.TopicImage;
import io.fjord.controller.TopicNames;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A broker's view of the cluster, as Kafka's metadata cache in ZooKeeper mode: the live brokers,
 * the controller and every partition's leadership, fed by the controller's UpdateMetadata, plus
 * the topics' config overrides and the dynamic broker settings read from the coordination store. Request handlers read it as an
 * immutable {@link MetadataImage}, without locks.
 *
 * <p>Invariants: a topic appears in the image with the partitions numbered from 0 that the
 * controller has told (a partition still waiting for a live replica hides the ones after it); the
 * image is rebuilt, and waiters woken, on every change.
 */
public final class ClusterMetadataCache {

    /** A topic's partitions as told, with its id. */
    private record TopicEntry(UUID id, TreeMap<Integer, PartitionLeadership> partitions) {
    }

    private final String clusterId;
    private final int nodeId;
    private final Map<Integer, BrokerNode> brokers = new TreeMap<>();
    private final Map<String, TopicEntry> topics = new HashMap<>();
    private final Map<String, TopicImage> built = new HashMap<>();
    private final Map<String, Map<String, String>> configs = new HashMap<>();
    private DynamicBrokerConfigs brokerConfigs = DynamicBrokerConfigs.NONE;
    private int controllerId = -1;
    private long epoch;
    private volatile MetadataImage image;

    public ClusterMetadataCache(String clusterId, int nodeId) {
        this.clusterId = clusterId;
        this.nodeId = nodeId;
        this.image = MetadataImage.of(clusterId, nodeId, 0, List.of());
    }

    public MetadataImage image() {
        return image;
    }

    /**
     * Applies an UpdateMetadata.
     *
     * @return the topics that the update deleted, as they were
     */
    public synchronized List<TopicImage> apply(ControllerRequest.UpdateMetadata update) {
        List<TopicImage> deleted = new ArrayList<>();
        brokers.clear();
        for (BrokerRegistration b : update.liveBrokers()) {
            brokers.put(b.id(), new BrokerNode(b.id(), b.host(), b.port(), b.rack()));
        }
        controllerId = update.controllerId();
        if (update.full()) {
            for (String t : List.copyOf(topics.keySet())) {
                boolean stillThere = update.partitions().stream().anyMatch(p -> p.topic().equals(t) && !p.deleted());
                if (!stillThere) {
                    removeTopic(t, deleted);
                }
            }
        }
        for (PartitionLeadership p : update.partitions()) {
            TopicEntry entry = topics.get(p.topic());
            if (p.deleted()) {
                if (entry != null) {
                    entry.partitions().remove(p.partition());
                    if (entry.partitions().isEmpty()) {
                        removeTopic(p.topic(), deleted);
                    } else {
                        built.remove(p.topic());
                    }
                }
                continue;
            }
            if (entry == null || !entry.id().equals(p.topicId())) {
                if (entry != null) {
                    removeTopic(p.topic(), deleted);
                }
                entry = new TopicEntry(p.topicId(), new TreeMap<>());
                topics.put(p.topic(), entry);
            }
            entry.partitions().put(p.partition(), p);
            built.remove(p.topic());
        }
        publish();
        return deleted;
    }

    /** Records that the active controller changed (before its first UpdateMetadata arrives). */
    public synchronized void controllerChanged(int newControllerId) {
        if (controllerId != newControllerId) {
            controllerId = newControllerId;
            publish();
        }
    }

    /** Sets a topic's config overrides (empty when it has none). */
    public synchronized void setConfigs(String topic, Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            configs.remove(topic);
        } else {
            configs.put(topic, Map.copyOf(overrides));
        }
        built.remove(topic);
        publish();
    }

    /** Sets the dynamic settings of a broker, or with {@code brokerId} empty the cluster-wide ones. */
    public synchronized void setBrokerConfigs(OptionalInt brokerId, Map<String, String> settings) {
        brokerConfigs = brokerConfigs.with(brokerId, settings);
        publish();
    }

    /** The config overrides of a topic, whether or not its partitions are known yet. */
    public synchronized Map<String, String> configs(String topic) {
        return configs.getOrDefault(topic, Map.of());
    }

    /** Waits until the image satisfies {@code condition}, at most {@code timeoutMs}; returns the last image. */
    public synchronized MetadataImage await(Predicate<MetadataImage> condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.test(image)) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return image;
    }

    private void removeTopic(String topic, List<TopicImage> deleted) {
        topics.remove(topic);
        TopicImage was = image.topic(topic);
        built.remove(topic);
        if (was != null) {
            deleted.add(was);
        }
    }

    private void publish() {
        List<TopicImage> all = new ArrayList<>(topics.size());
        topics.forEach((name, entry) -> {
            TopicImage t = built.computeIfAbsent(name, n -> build(n, entry));
            if (t != null) {
                all.add(t);
            }
        });
        image = MetadataImage.of(clusterId, nodeId, ++epoch, all, new TreeMap<>(brokers), controllerId, brokerConfigs);
        notifyAll();
    }

    private TopicImage build(String name, TopicEntry entry) {
        List<PartitionImage> partitions = new ArrayList<>(entry.partitions().size());
        for (int i = 0; entry.partitions().containsKey(i); i++) {
            PartitionLeadership p = entry.partitions().get(i);
            partitions.add(new PartitionImage(i, p.state().leader(), p.state().leaderEpoch(), p.state().partitionEpoch(),
                    p.replicas(), p.state().isr()));
        }
        if (partitions.isEmpty()) {
            return null;
        }
        return new TopicImage(name, entry.id(), TopicNames.isInternal(name), partitions,
                configs.getOrDefault(name, Map.of()));
    }
}
