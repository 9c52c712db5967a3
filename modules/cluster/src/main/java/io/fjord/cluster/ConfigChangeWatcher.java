package io.fjord.cluster;

import io.fjord.cluster.state.ConfigOverrides;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.WatchScope;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a broker's topic configs and dynamic broker settings in step with the store, as Kafka's
 * config change listener did:
 * every broker loads all overrides at start, then watches the sequential change notifications and
 * re-reads the entities they name. Notifications are processed in sequence order, each once.
 */
final class ConfigChangeWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigChangeWatcher.class.getName());
    private static final String TOPICS = "topics/";
    private static final String BROKERS = "brokers/";

    private final CoordinationSession session;
    private final ClusterMetadataStore store;
    private String lastSeen = "";
    private AutoCloseable watch;

    ConfigChangeWatcher(CoordinationSession session, ClusterMetadataStore store) {
        this.session = session;
        this.store = store;
    }

    synchronized void start() {
        List<String> existing = session.children(ClusterPaths.CONFIG_CHANGES);
        if (!existing.isEmpty()) {
            lastSeen = existing.get(existing.size() - 1);
        }
        for (String topic : session.children(ClusterPaths.TOPIC_CONFIGS)) {
            store.reloadConfigs(topic);
        }
        for (String broker : session.children(ClusterPaths.BROKER_CONFIGS)) {
            store.reloadBrokerConfigs(broker);
        }
        watch = session.watch(ClusterPaths.CONFIG_CHANGES, WatchScope.CHILDREN, this::onChange);
    }

    private synchronized void onChange() {
        for (String child : session.children(ClusterPaths.CONFIG_CHANGES)) {
            if (child.compareTo(lastSeen) <= 0) {
                continue;
            }
            lastSeen = child;
            String path = ClusterPaths.CONFIG_CHANGES + "/" + child;
            try {
                session.read(path).ifPresent(v -> {
                    String entity = entityPath(v.data(), path);
                    if (entity != null && entity.startsWith(TOPICS)) {
                        store.reloadConfigs(entity.substring(TOPICS.length()));
                    } else if (entity != null && entity.startsWith(BROKERS)) {
                        store.reloadBrokerConfigs(entity.substring(BROKERS.length()));
                    }
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Skipping the config change notification " + path, e);
            }
        }
    }

    private static String entityPath(byte[] data, String path) {
        Map<String, String> m = ConfigOverrides.notificationOf(data, path);
        return m.get("entity_path");
    }

    @Override
    public synchronized void close() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "Closing the config watch failed", e);
            }
        }
    }
}
