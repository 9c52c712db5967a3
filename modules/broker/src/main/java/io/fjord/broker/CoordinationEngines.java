package io.fjord.broker;

import io.fjord.api.ConfigException;
import io.fjord.controller.coordination.CoordinationEngine;
import io.fjord.kernel.PluginRuntime;

import java.nio.file.Path;

/** Finds the coordination engine a cluster member runs on: the {@code zookeeper} plugin. */
final class CoordinationEngines {

    static final String ZOOKEEPER = "zookeeper";

    private CoordinationEngines() {
    }

    /**
     * The configured ZooKeeper engine.
     *
     * @throws ConfigException when {@code zookeeper.connect} is set but the plugin is not installed
     */
    static CoordinationEngine zookeeper(PluginRuntime runtime, ClusterSettings settings, Path pluginsFolder) {
        if (!runtime.names(CoordinationEngine.class).contains(ZOOKEEPER)) {
            throw new ConfigException("zookeeper.connect is set, but the ZooKeeper plugin is not installed: no "
                    + "coordination engine named 'zookeeper' in " + (pluginsFolder == null ? "the image (no plugins folder)"
                    : "the plugins folder " + pluginsFolder) + ". Install the plugin folder 'zookeeper' there, "
                    + "or remove zookeeper.connect to run a single broker.");
        }
        return runtime.createWithConfig(CoordinationEngine.class, ZOOKEEPER, settings.engineConfig());
    }
}
