package io.fjord.moduletests;

import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.ControllerLease;
import io.fjord.controller.coordination.CoordinationEngine;
import io.fjord.controller.coordination.CoordinationServer;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.controller.coordination.SessionListener;
import io.fjord.kernel.ExtensionPoint;
import io.fjord.kernel.PluginInfo;
import io.fjord.kernel.PluginOrigin;
import io.fjord.kernel.PluginRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ZooKeeper plugin as the image ships it in {@code plugins/zookeeper/}: its providers load
 * through the kernel in a layer of their own and work against a server they started, and
 * {@code bin/fjord zookeeper} runs a server that a client can use until SIGTERM.
 */
class ZooKeeperImageTest {

    private static final Pattern READY = Pattern.compile("ZooKeeper ready on (127\\.0\\.0\\.1:\\d+)");

    private static Path image;

    @TempDir
    Path work;

    @BeforeAll
    static void findImage() {
        image = Modules.pathProperty("fjord.image");
        assertTrue(Files.isExecutable(image.resolve("bin/fjord")),
                "no image at " + image + ": build it with the whole reactor (dist runs before these tests)");
    }

    private Path zooCfg() throws IOException {
        return Files.writeString(work.resolve("zoo.cfg"), String.join("\n",
                "tickTime=2000",
                "dataDir=" + work.resolve("zookeeper-data"),
                "clientPort=0",
                "clientPortAddress=127.0.0.1",
                ""));
    }

    private static Set<String> jarNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static SessionListener ignoring() {
        return new SessionListener() {
            @Override
            public void sessionExpired() {
            }

            @Override
            public void sessionRenewed() {
            }
        };
    }

    /** A session of the image's zookeeper engine, configured as a broker configures it. */
    private static CoordinationSession openSession(PluginRuntime runtime, String connect) {
        String key = ExtensionPoint.of(CoordinationEngine.class).configPrefix() + "zookeeper.connect";
        return runtime.create(CoordinationEngine.class, "zookeeper", Map.of(key, connect)).open(ignoring());
    }

    @Test
    void theImageShipsTheBuiltPluginFolderWithoutNetty() throws IOException {
        Path built = ModuleGraphTest.builtPluginFolders().stream()
                .filter(p -> p.getFileName().toString().equals("zookeeper")).findFirst().orElseThrow();
        Set<String> shipped = jarNames(image.resolve("plugins/zookeeper"));
        assertEquals(jarNames(built), shipped);
        assertTrue(shipped.stream().noneMatch(n -> n.startsWith("netty")), shipped.toString());
        assertTrue(shipped.stream().anyMatch(n -> n.startsWith("fjord-plugin-zookeeper-")), shipped.toString());
        assertTrue(shipped.stream().anyMatch(n -> n.startsWith("zookeeper-modular-")), shipped.toString());
    }

    @Test
    void theProvidersLoadThroughTheKernelInAChildLayerAndASessionWorksAgainstTheirServer() throws Exception {
        Path plugins = image.resolve("plugins");
        try (PluginRuntime runtime = PluginRuntime.discover(plugins)) {
            assertEquals(List.of(), runtime.errors());
            assertEquals(Set.of("zookeeper"), runtime.names(CoordinationEngine.class));
            assertEquals(Set.of("zookeeper"), runtime.names(CoordinationServer.class));
            PluginInfo engineInfo = runtime.plugins(CoordinationEngine.class).get(0);
            assertEquals("io.fjord.plugin.zookeeper", engineInfo.module());
            assertEquals(new PluginOrigin(PluginOrigin.Kind.FOLDER, plugins.resolve("zookeeper").toString()), engineInfo.origin());
            assertFalse(engineInfo.automatic());

            CoordinationServer server = runtime.create(CoordinationServer.class, "zookeeper", Map.of());
            Module module = server.getClass().getModule();
            assertEquals("io.fjord.plugin.zookeeper", module.getName());
            assertNotSame(ModuleLayer.boot(), module.getLayer());
            assertTrue(module.getLayer().findModule("org.apache.zookeeper").isPresent());
            assertTrue(module.getLayer().findModule("io.netty.handler").orElseThrow().getLayer() == ModuleLayer.boot(),
                    "Netty comes from the image");

            try (CoordinationServer.Running running = server.start(zooCfg());
                 CoordinationSession a = openSession(runtime, running.connectString());
                 CoordinationSession b = openSession(runtime, running.connectString())) {
                long epoch = a.registerBroker(1, "{}".getBytes(StandardCharsets.UTF_8));
                assertEquals(epoch, b.read(ClusterPaths.broker(1)).orElseThrow().creationStamp());
                ControllerLease lease = a.tryElectController(1).orElseThrow();
                assertEquals(1, lease.epoch());
                assertTrue(b.tryElectController(2).isEmpty());
                a.write(lease, List.of(new Op.Create(ClusterPaths.topic("t"), "{}".getBytes(StandardCharsets.UTF_8))));
                assertEquals(OptionalInt.of(1), b.activeController());
                assertEquals(List.of("t"), b.children(ClusterPaths.TOPICS));
            }
        }
    }

    @Test
    void fjordZookeeperRunsTheServerFromTheImageUntilSigterm() throws Exception {
        Process p = new ProcessBuilder(image.resolve("bin/fjord").toString(), "zookeeper", zooCfg().toString())
                .directory(work.toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        });
        drain.start();
        try {
            String connect = awaitReady(p, drain, output);
            try (PluginRuntime runtime = PluginRuntime.discover(image.resolve("plugins"));
                 CoordinationSession s = openSession(runtime, connect)) {
                s.write(List.of(new Op.Create(ClusterPaths.CLUSTER_ID, "c1".getBytes(StandardCharsets.UTF_8))));
                assertEquals("c1", new String(s.read(ClusterPaths.CLUSTER_ID).orElseThrow().data(), StandardCharsets.UTF_8));
            }
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "fjord zookeeper did not stop on SIGTERM");
            drain.join(TimeUnit.SECONDS.toMillis(30));
        } finally {
            p.destroyForcibly();
        }
        String all;
        synchronized (output) {
            all = String.join("\n", output);
        }
        assertFalse(all.contains("NoClassDefFoundError") || all.contains("ClassNotFoundException"), all);
        assertTrue(Files.isDirectory(work.resolve("zookeeper-data/version-2")), all);
    }

    /** The address from the "ready" line, waiting while the process lives (the deadline is a guard, not a time limit). */
    private static String awaitReady(Process p, Thread drain, List<String> output) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            boolean ended = !p.isAlive();
            if (ended) {
                drain.join(TimeUnit.SECONDS.toMillis(30));
            }
            synchronized (output) {
                for (String line : output) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended) {
                    throw new AssertionError("fjord zookeeper never said it was ready:\n" + String.join("\n", output));
                }
                output.wait(Math.min(1000, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            }
        }
    }
}
