package io.fjord.broker;

import io.fjord.api.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** server.properties with Kafka's names, defaults and overrides. */
class BrokerConfigTest {

    @TempDir
    Path dir;

    private Map<String, String> base() {
        Map<String, String> props = new HashMap<>();
        props.put("node.id", "3");
        props.put("log.dirs", dir.resolve("data").toString());
        return props;
    }

    @Test
    void fileThenOverridesWithKafkasNames() throws Exception {
        Path file = Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "# a Kafka broker's file",
                "broker.id=5",
                "listeners=PLAINTEXT://0.0.0.0:19092",
                "advertised.listeners=PLAINTEXT://kafka.example:29092",
                "log.dirs=" + dir.resolve("a") + "," + dir.resolve("b"),
                "num.io.threads=3",
                "process.roles=broker,controller",
                ""));
        BrokerConfig config = BrokerConfig.load(file, Map.of("num.io.threads", "5", "fjord.network.transport", "nio"));

        assertEquals(5, config.nodeId(), "broker.id is the older name of node.id");
        assertEquals("0.0.0.0", config.listenerHost());
        assertEquals(19092, config.listenerPort());
        assertEquals("kafka.example", config.advertisedHost());
        assertEquals(29092, config.advertisedPort());
        assertEquals(List.of(dir.resolve("a"), dir.resolve("b")), config.logDirs());
        assertEquals(5, config.networkConfig().numIoThreads(), "an override wins over the file");
        assertEquals(3, config.networkConfig().numNetworkThreads(), "Kafka's default of num.network.threads");
        assertEquals(List.of("process.roles"), config.unknownKeys(), "reported, not refused");
    }

    @Test
    void embeddedDefaultsServeTheLoopbackOnKafkasPort() throws Exception {
        BrokerConfig config = BrokerConfig.load(null, Map.of());
        assertEquals(1, config.nodeId());
        assertEquals("127.0.0.1", config.advertisedHost());
        assertEquals(9092, config.listenerPort());
        assertEquals(Path.of("fjord-data").toAbsolutePath().normalize(), config.logDirs().get(0));
        assertTrue(config.unknownKeys().isEmpty());
    }

    @Test
    void groupCoordinatorSettingsHaveKafkasNamesAndDefaults() throws Exception {
        BrokerConfig defaults = BrokerConfig.load(null, Map.of());
        assertEquals(6000, defaults.groupCoordinatorConfig().groupMinSessionTimeoutMs());
        assertEquals(1_800_000, defaults.groupCoordinatorConfig().groupMaxSessionTimeoutMs());
        assertEquals(3000, defaults.groupCoordinatorConfig().groupInitialRebalanceDelayMs());
        assertEquals(7L * 24 * 60 * 60 * 1000, defaults.groupCoordinatorConfig().offsetsRetentionMs());
        assertEquals(1, defaults.controllerConfig().offsetsTopicReplicationFactor(),
                "one node: the embedded default, as Kafka's shipped server.properties");
        BrokerConfig set = BrokerConfig.load(null, Map.of("group.initial.rebalance.delay.ms", "0",
                "group.max.size", "10", "offsets.retention.minutes", "1"));
        assertTrue(set.unknownKeys().isEmpty());
        assertEquals(0, set.groupCoordinatorConfig().groupInitialRebalanceDelayMs());
        assertEquals(10, set.groupCoordinatorConfig().groupMaxSize());
        assertEquals(60_000, set.groupCoordinatorConfig().offsetsRetentionMs());
        ConfigException e = assertThrows(ConfigException.class,
                () -> BrokerConfig.load(null, Map.of("group.max.size", "0")));
        assertTrue(e.getMessage().contains("group.max.size"), e.getMessage());
    }

    @Test
    void badValuesNameTheirKey() {
        Map<String, String> props = base();
        props.put("listeners", "SSL://127.0.0.1:9093");
        assertTrue(assertThrows(ConfigException.class, () -> BrokerConfig.of(props)).getMessage().contains("listeners"));

        Map<String, String> port = base();
        port.put("listeners", "PLAINTEXT://127.0.0.1:70000");
        assertTrue(assertThrows(ConfigException.class, () -> BrokerConfig.of(port)).getMessage().contains("listeners"));

        Map<String, String> threads = base();
        threads.put("num.io.threads", "0");
        assertTrue(assertThrows(ConfigException.class, () -> BrokerConfig.of(threads)).getMessage()
                .contains("num.io.threads"));

        Map<String, String> ids = base();
        ids.put("broker.id", "4");
        assertTrue(assertThrows(ConfigException.class, () -> BrokerConfig.of(ids)).getMessage().contains("broker.id"));

        Map<String, String> missing = new HashMap<>();
        missing.put("log.dirs", dir.toString());
        assertTrue(assertThrows(ConfigException.class, () -> BrokerConfig.of(missing)).getMessage().contains("node.id"));
    }
}
