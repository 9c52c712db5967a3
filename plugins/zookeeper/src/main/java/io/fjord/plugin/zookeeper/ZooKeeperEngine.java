package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.CoordinationEngine;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.SessionListener;

import java.util.Map;

/**
 * The {@code zookeeper} coordination engine: Kafka's {@code zookeeper.connect},
 * {@code zookeeper.session.timeout.ms}, {@code zookeeper.connection.timeout.ms} and
 * {@code zookeeper.max.in.flight.requests}, prefix removed; other keys are not this engine's and
 * are ignored.
 */
public final class ZooKeeperEngine implements CoordinationEngine {

    private volatile ZooKeeperSettings settings;

    @Override
    public String name() {
        return "zookeeper";
    }

    @Override
    public void configure(Map<String, String> config) {
        settings = ZooKeeperSettings.parse(config);
    }

    @Override
    public CoordinationSession open(SessionListener listener) {
        ZooKeeperSettings configured = settings;
        if (configured == null) {
            throw new IllegalStateException("The zookeeper engine is not configured");
        }
        // ZooKeeper finds some of its classes through the context class loader: make it the plugin's.
        return PluginContext.call(() -> ZooKeeperSession.open(configured, listener));
    }
}
