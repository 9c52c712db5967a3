package io.fjord.controller;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A consistent, read-only snapshot of the cluster metadata: the cluster id, this broker's id,
 * every topic by name and by id, the live brokers and controller of a cluster, and the dynamic
 * broker settings. The broker's request handlers read it for Metadata, Produce and Fetch without
 * taking any lock.
 *
 * <p>Why reading is safe and cheap: an image is deeply immutable (records of immutable lists and
 * maps, all fields final), so once a reader holds a reference it sees one state, complete, no
 * matter what writers do next. The store builds a new image for every change and publishes it
 * with a single volatile write; a reader's volatile read of that reference happens-after the
 * writes that built the image, so it never sees a half-built one. The price is a copy of the two
 * topic maps per change, which is fine for metadata changes (rare, and a few thousand entries)
 * and buys lock-free reads on the hot path.
 *
 * <p>Invariants: {@code topicsByName} and {@code topicsById} hold the same topics; {@code epoch}
 * grows by one with every committed change and is persisted, so it never goes back across
 * restarts. A single node's image has no brokers and no controller (the node answers for itself);
 * a cluster member's image has every live broker and the active controller's id.
 *
 * @param clusterId    the cluster id (22 characters, base64url of a random UUID)
 * @param nodeId       this broker's {@code node.id}
 * @param epoch        the number of committed metadata changes since the log dir was created
 * @param topicsByName every topic by name
 * @param topicsById   every topic by id
 * @param brokers      in a cluster, the live brokers by id (sorted); empty on a single node
 * @param controllerId in a cluster, the active controller, or -1 when there is none; -1 on a single node
 * @param brokerConfigs the broker settings altered at run time, per broker and cluster-wide
 */
public record MetadataImage(String clusterId, int nodeId, long epoch,
                            Map<String, TopicImage> topicsByName, Map<UUID, TopicImage> topicsById,
                            SortedMap<Integer, BrokerNode> brokers, int controllerId,
                            DynamicBrokerConfigs brokerConfigs) {

    public MetadataImage {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(brokerConfigs, "brokerConfigs");
        topicsByName = Map.copyOf(topicsByName);
        topicsById = Map.copyOf(topicsById);
        brokers = Collections.unmodifiableSortedMap(new TreeMap<>(brokers));
        if (topicsByName.size() != topicsById.size()) {
            throw new IllegalArgumentException("topic maps disagree: " + topicsByName.size()
                    + " names, " + topicsById.size() + " ids");
        }
    }

    /** An image with the given topics, indexed both ways, and no dynamic broker settings. */
    public static MetadataImage of(String clusterId, int nodeId, long epoch, Iterable<TopicImage> topics) {
        return of(clusterId, nodeId, epoch, topics, new TreeMap<>(), -1);
    }

    /** A cluster member's image: the topics, the live brokers and the active controller; no dynamic broker settings. */
    public static MetadataImage of(String clusterId, int nodeId, long epoch, Iterable<TopicImage> topics,
            SortedMap<Integer, BrokerNode> brokers, int controllerId) {
        return of(clusterId, nodeId, epoch, topics, brokers, controllerId, DynamicBrokerConfigs.NONE);
    }

    /** An image with everything: topics, live brokers, the active controller and the dynamic broker settings. */
    public static MetadataImage of(String clusterId, int nodeId, long epoch, Iterable<TopicImage> topics,
            SortedMap<Integer, BrokerNode> brokers, int controllerId, DynamicBrokerConfigs brokerConfigs) {
        Map<String, TopicImage> byName = new HashMap<>();
        Map<UUID, TopicImage> byId = new HashMap<>();
        for (TopicImage topic : topics) {
            if (byName.put(topic.name(), topic) != null) {
                throw new IllegalArgumentException("duplicate topic name " + topic.name());
            }
            if (byId.put(topic.id(), topic) != null) {
                throw new IllegalArgumentException("duplicate topic id " + topic.id());
            }
        }
        return new MetadataImage(clusterId, nodeId, epoch, byName, byId, brokers, controllerId, brokerConfigs);
    }

    /** The topic with the given name, or null. */
    public TopicImage topic(String name) {
        return topicsByName.get(name);
    }

    /** The topic with the given id, or null. */
    public TopicImage topic(UUID id) {
        return topicsById.get(id);
    }

    /** The number of topics. */
    public int topicCount() {
        return topicsByName.size();
    }
}
