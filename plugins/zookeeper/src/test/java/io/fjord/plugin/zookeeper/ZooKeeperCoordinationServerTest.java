package io.fjord.plugin.zookeeper;

import io.fjord.api.ConfigException;
import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.CoordinationServer;
import io.fjord.controller.coordination.CoordinationSession;
import io.fjord.controller.coordination.Op;
import io.fjord.plugin.zookeeper.testing.ZooKeeperFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code zookeeper} server from a zoo.cfg: it serves, keeps its data, and stops without ending the JVM. */
class ZooKeeperCoordinationServerTest {

    @TempDir
    Path dir;

    private Path zooCfg(Path dataDir) throws Exception {
        return Files.writeString(dir.resolve("zoo.cfg"), String.join("\n",
                "tickTime=2000",
                "dataDir=" + dataDir,
                "clientPort=0",
                "clientPortAddress=127.0.0.1",
                "maxClientCnxns=0",
                ""));
    }

    @Test
    void aStandaloneServerFromZooCfgServesSessionsKeepsItsDataAndStops() throws Exception {
        Path data = dir.resolve("data");
        Path cfg = zooCfg(data);
        CoordinationServer server = new ZooKeeperCoordinationServer();
        assertEquals("zookeeper", server.name());

        String connect;
        try (CoordinationServer.Running running = server.start(cfg)) {
            connect = running.connectString();
            assertTrue(connect.matches("127\\.0\\.0\\.1:\\d+"), connect);
            assertFalse(connect.endsWith(":0"), connect);
            ZooKeeperEngine engine = new ZooKeeperEngine();
            engine.configure(Map.of("connect", connect));
            try (CoordinationSession s = engine.open(ZooKeeperFixture.ignoringListener())) {
                s.write(List.of(new Op.Create(ClusterPaths.CLUSTER_ID, "abc".getBytes(StandardCharsets.UTF_8))));
                assertEquals("abc", new String(s.read(ClusterPaths.CLUSTER_ID).orElseThrow().data(), StandardCharsets.UTF_8));
            }
            CompletableFuture<Void> awaiting = CompletableFuture.runAsync(() -> {
                try {
                    running.awaitStop();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertFalse(awaiting.isDone());
            running.close();
            awaiting.get(30, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(data)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("snapshot.")),
                    "the server kept its data in the configured dataDir");
        }
    }

    @Test
    void aZooCfgWithoutDataDirIsRefusedNamingTheFile() throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad.cfg"), "clientPort=0\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ZooKeeperCoordinationServer().start(cfg));
        assertTrue(e.getMessage().contains("dataDir") && e.getMessage().contains(cfg.toString()), e.getMessage());
    }

    @Test
    void theDevelopmentConfigListensOnLoopback2181WithDataUnderTheCurrentDirectory() {
        Properties dev = ZooKeeperCoordinationServer.developmentConfig();
        assertEquals("2181", dev.getProperty("clientPort"));
        assertEquals("127.0.0.1", dev.getProperty("clientPortAddress"));
        assertEquals(Path.of("zookeeper-data").toAbsolutePath().toString(), dev.getProperty("dataDir"));
    }
}
