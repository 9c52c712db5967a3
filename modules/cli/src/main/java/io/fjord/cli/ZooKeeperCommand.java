package io.fjord.cli;

import io.fjord.api.ConfigException;
import io.fjord.controller.coordination.CoordinationServer;
import io.fjord.kernel.PluginLoadError;
import io.fjord.kernel.PluginRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code fjord zookeeper [zoo.cfg]}: runs the ZooKeeper server of a cluster in the foreground
 * until the process is asked to stop, as Kafka's {@code zookeeper-server-start.sh} did. The server
 * is the {@code zookeeper} {@link CoordinationServer} of the installation's plugins folder (the
 * image ships it in {@code plugins/zookeeper/}), loaded through the kernel like any plugin.
 */
@Command(name = "zookeeper",
        description = {
            "Run a ZooKeeper server for a Fjord cluster until stopped (SIGTERM or Ctrl-C).",
            "Needs the zookeeper plugin (plugins/zookeeper/ of the installation)."
        })
public final class ZooKeeperCommand implements Callable<Integer> {

    private static final String ENGINE = "zookeeper";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "zoo.cfg",
            description = "ZooKeeper's configuration: a standalone server, or one member of an ensemble with "
                    + "server.N lines; dataDir is required. Without it: 127.0.0.1:2181, data in ./zookeeper-data.")
    Path configFile;

    @Option(names = "--plugins-dir", paramLabel = "DIR",
            description = "The plugins folder (default: plugins/ of the installation).")
    Path pluginsDir;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!ImageModules.has(ImageModules.CONTROLLER)) {
            err.println("fjord zookeeper: " + ImageModules.missing(ImageModules.CONTROLLER, "a ZooKeeper server"));
            return 1;
        }
        if (configFile != null && !Files.isRegularFile(configFile)) {
            err.println("fjord zookeeper: no such file: " + configFile);
            return 1;
        }
        Path folder = pluginsDir != null ? pluginsDir : FjordHome.pluginsFolder();
        PluginRuntime runtime = PluginRuntime.discover(folder);
        if (!runtime.names(CoordinationServer.class).contains(ENGINE)) {
            err.println("fjord zookeeper: the ZooKeeper plugin is not installed: no zookeeper server in " + folder
                    + " (copy the plugin's folder, plugins/zookeeper/target/zookeeper of the build, to "
                    + folder.resolve(ENGINE) + ")");
            for (PluginLoadError error : runtime.errors()) {
                err.println("  " + error.location() + ": " + error.reason());
            }
            runtime.close();
            return 1;
        }
        CoordinationServer.Running running;
        try {
            running = runtime.create(CoordinationServer.class, ENGINE, Map.of()).start(configFile);
        } catch (ConfigException e) {
            err.println("fjord zookeeper: invalid configuration: " + e.getMessage());
            runtime.close();
            return 1;
        } catch (Exception e) {
            err.println("fjord zookeeper: could not start: " + e);
            runtime.close();
            return 1;
        }
        CountDownLatch stopping = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(new Shutdown(stopping, running, runtime),
                "fjord-zookeeper-shutdown"));
        out.println("ZooKeeper ready on " + running.connectString());
        out.flush();
        running.awaitStop();
        if (stopping.getCount() > 0) {
            err.println("fjord zookeeper: the server stopped on its own; see its log above");
            return 1;
        }
        return 0;
    }

    /**
     * Stops the server when the process stops. A class, not a lambda: a lambda's method would name
     * the coordination types in this command's signatures, which picocli reads even in an image
     * without them.
     */
    private static final class Shutdown implements Runnable {

        private final CountDownLatch stopping;
        private final CoordinationServer.Running running;
        private final PluginRuntime runtime;

        Shutdown(CountDownLatch stopping, CoordinationServer.Running running, PluginRuntime runtime) {
            this.stopping = stopping;
            this.running = running;
            this.runtime = runtime;
        }

        @Override
        public void run() {
            stopping.countDown();
            running.close();
            runtime.close();
        }
    }
}
