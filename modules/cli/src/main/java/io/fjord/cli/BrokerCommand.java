package io.fjord.cli;

import io.fjord.api.ConfigException;
import io.fjord.broker.Broker;
import io.fjord.broker.BrokerConfig;
import io.fjord.kernel.PluginLoadError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code fjord broker [server.properties] [--override key=value]...}: runs a single-node broker
 * until the process is asked to stop (SIGTERM, Ctrl-C), then shuts it down cleanly from a
 * shutdown hook. Without a file it runs with {@link BrokerConfig#EMBEDDED_DEFAULTS}. Plugins come
 * from {@code plugin.path}, or else from the installation's {@code plugins/} folder; one that
 * fails to load is reported as {@code fjord plugins} reports it, and the broker starts without it.
 */
@Command(name = "broker", description = "Run a single-node broker until stopped (SIGTERM or Ctrl-C).")
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "server.properties",
            description = "Kafka-style broker settings; without it: a listener on 127.0.0.1:9092, data in ./fjord-data, node id 1.")
    Path configFile;

    @Option(names = "--override", paramLabel = "key=value",
            description = "A setting that replaces the file's (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!ImageModules.has(ImageModules.BROKER)) {
            err.println("fjord broker: " + ImageModules.missing(ImageModules.BROKER, "a broker"));
            return 1;
        }
        BrokerConfig config;
        try {
            config = BrokerConfig.load(configFile, overrides);
        } catch (ConfigException e) {
            err.println("fjord broker: invalid configuration: " + e.getMessage());
            return 1;
        }
        for (String key : config.unknownKeys()) {
            err.println("WARN fjord broker: unknown configuration key '" + key + "' is ignored");
        }
        Broker broker = new Broker(config, FjordHome.pluginsFolder());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(new Shutdown(broker, stopped, err), "fjord-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            broker.start();
        } catch (IOException | RuntimeException e) {
            err.println("fjord broker: could not start: " + e.getMessage());
            return 1;
        }
        for (PluginLoadError error : broker.pluginLoadErrors()) {
            err.println("WARN fjord broker: plugin " + error.location() + " failed to load: " + error.reason());
        }
        out.println("Fjord broker " + config.nodeId() + " ready on " + config.advertisedHost() + ":"
                + broker.boundPort() + ", data in " + broker.dataDir());
        out.flush();
        stopped.await();
        return 0;
    }

    /**
     * Shuts the broker down when the process stops. A class, not a lambda: a lambda's method
     * would name the broker's types in this command's signatures, which picocli reads even in a
     * client-only image that has no broker.
     */
    private static final class Shutdown implements Runnable {

        private final Broker broker;
        private final CountDownLatch stopped;
        private final PrintWriter err;

        Shutdown(Broker broker, CountDownLatch stopped, PrintWriter err) {
            this.broker = broker;
            this.stopped = stopped;
            this.err = err;
        }

        @Override
        public void run() {
            try {
                broker.shutdown();
            } catch (IOException | InterruptedException e) {
                err.println("fjord broker: shutdown failed: " + e);
            } finally {
                stopped.countDown();
            }
        }
    }
}
