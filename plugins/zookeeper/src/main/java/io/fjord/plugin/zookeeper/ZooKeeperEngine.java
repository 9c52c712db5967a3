package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.CoordinationEngine;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.SessionListener;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code zookeeper} coordination engine: Kafka's {@code zookeeper.connect},
 * {@code zookeeper.session.timeout.ms}, {@code zookeeper.connection.timeout.ms} and
 * {@code zookeeper.max.in.flight.requests}, prefix removed; other keys are not this engine's and
 * are ignored.
 */
public final class ZooKeeperEngine implements CoordinationEngine {

    /**
     * ZooKeeper and Curator log every connection step at INFO; a broker's output keeps their
     * warnings and errors only. Held here so the logger settings are not collected.
     */
    private static final List<Logger> QUIETED = List.of(quiet("org.apache.zookeeper"), quiet("org.apache.curator"));

    private volatile ZooKeeperSettings settings;

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.WARNING);
        return logger;
    }

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
