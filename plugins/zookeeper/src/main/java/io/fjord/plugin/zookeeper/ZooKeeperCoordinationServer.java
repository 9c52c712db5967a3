package io.fjord.plugin.zookeeper;

import io.fjord.api.ConfigException;
import io.fjord.controller.coordination.CoordinationServer;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.apache.zookeeper.util.ServiceUtils;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code zookeeper} server: ZooKeeper's own embedded server, from a {@code zoo.cfg} (a
 * standalone server, or one member of an ensemble when the file lists {@code server.N} lines),
 * or for development on {@code 127.0.0.1:2181} with its data in {@code ./zookeeper-data}.
 *
 * <p>It never ends the JVM: ZooKeeper's exit requests are logged, and a server that dies on its
 * own ends {@link Running#awaitStop()}. Its admin HTTP server is off unless the file turns it on
 * (its Jetty is not shipped).
 */
public final class ZooKeeperCoordinationServer implements CoordinationServer {

    /** The data folder of the development server, under the current directory. */
    static final String DEFAULT_DATA_DIR = "zookeeper-data";
    static final int DEFAULT_CLIENT_PORT = 2181;
    private static final long START_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(1);

    @Override
    public String name() {
        return "zookeeper";
    }

    @Override
    public Running start(Path configFile) throws Exception {
        Properties config = configFile == null ? developmentConfig() : load(configFile);
        config.putIfAbsent("admin.enableServer", "false");
        // ZooKeeper writes the properties it was given to a file in this folder on every start.
        Path work = Files.createTempDirectory("fjord-zookeeper");
        return PluginContext.call(() -> {
            ZooKeeperServerEmbedded server;
            try {
                server = ZooKeeperServerEmbedded.builder().baseDir(work).configuration(config)
                        .exitHandler(ExitHandler.LOG_ONLY).build();
                server.start(START_TIMEOUT_MS);
            } catch (Exception e) {
                deleteTree(work);
                throw e;
            }
            return new EmbeddedRunning(server, work);
        });
    }

    static Properties developmentConfig() {
        Properties config = new Properties();
        config.setProperty("dataDir", Path.of(DEFAULT_DATA_DIR).toAbsolutePath().toString());
        config.setProperty("clientPort", Integer.toString(DEFAULT_CLIENT_PORT));
        config.setProperty("clientPortAddress", "127.0.0.1");
        config.setProperty("tickTime", "2000");
        // Kafka's shipped zookeeper.properties: no per-host connection limit for a development server.
        config.setProperty("maxClientCnxns", "0");
        return config;
    }

    private static Properties load(Path configFile) throws IOException {
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
            config.load(in);
        }
        if (config.getProperty("dataDir", "").isBlank()) {
            throw new ConfigException("Missing dataDir in " + configFile + ": where ZooKeeper keeps its snapshots");
        }
        return config;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }

    /** A started server; closing it stops it and removes its work folder. */
    private static final class EmbeddedRunning implements Running {
        private final ZooKeeperServerEmbedded server;
        private final Path work;
        private final CountDownLatch stopped = new CountDownLatch(1);
        private final String connectString;

        EmbeddedRunning(ZooKeeperServerEmbedded server, Path work) throws Exception {
            this.server = server;
            this.work = work;
            this.connectString = server.getConnectionString();
            // Installed after start, which installs its own: a server that dies ends awaitStop().
            ServiceUtils.setSystemExitProcedure(code -> stopped.countDown());
        }

        @Override
        public String connectString() {
            return connectString;
        }

        @Override
        public void awaitStop() throws InterruptedException {
            stopped.await();
        }

        @Override
        public void close() {
            if (stopped.getCount() == 0 && !Files.exists(work)) {
                return;
            }
            try {
                server.close();
            } finally {
                deleteTree(work);
                stopped.countDown();
            }
        }
    }
}
