package io.fjord.plugin.zookeeper;

import io.fjord.api.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka's zookeeper.* keys, their defaults, and errors that name the key. */
class ZooKeeperSettingsTest {

    @Test
    void defaultsAreKafkasAndTheConnectionTimeoutFollowsTheSessionTimeout() {
        ZooKeeperSettings s = ZooKeeperSettings.parse(Map.of("connect", "zk1:2181,zk2:2181/fjord"));
        assertEquals(new ZooKeeperSettings("zk1:2181,zk2:2181/fjord", 18_000, 18_000, 10), s);
        assertEquals("zk1:2181,zk2:2181", s.hosts());
        assertEquals("/fjord", s.chroot());

        ZooKeeperSettings custom = ZooKeeperSettings.parse(Map.of("connect", "127.0.0.1:2181",
                "session.timeout.ms", "6000", "max.in.flight.requests", "3", "set.acl", "false"));
        assertEquals(new ZooKeeperSettings("127.0.0.1:2181", 6000, 6000, 3), custom);
        assertNull(custom.chroot());
        assertEquals(1000, ZooKeeperSettings.parse(Map.of("connect", "h:1", "connection.timeout.ms", "1000"))
                .connectionTimeoutMs());
        assertEquals("localhost", ZooKeeperSettings.parse(Map.of("connect", "localhost")).hosts());
    }

    @Test
    void badValuesFailNamingTheKafkaKey() {
        assertMessage(Map.of(), "zookeeper.connect");
        assertMessage(Map.of("connect", " "), "zookeeper.connect");
        assertMessage(Map.of("connect", "h:notaport"), "zookeeper.connect");
        assertMessage(Map.of("connect", "h:70000"), "zookeeper.connect");
        assertMessage(Map.of("connect", "a:1,,b:2"), "zookeeper.connect");
        assertMessage(Map.of("connect", "h:1/fjord/"), "zookeeper.connect");
        assertMessage(Map.of("connect", "/fjord"), "zookeeper.connect");
        assertMessage(Map.of("connect", "h:1", "session.timeout.ms", "soon"), "zookeeper.session.timeout.ms");
        assertMessage(Map.of("connect", "h:1", "session.timeout.ms", "0"), "zookeeper.session.timeout.ms");
        assertMessage(Map.of("connect", "h:1", "connection.timeout.ms", "-5"), "zookeeper.connection.timeout.ms");
        assertMessage(Map.of("connect", "h:1", "max.in.flight.requests", "0"), "zookeeper.max.in.flight.requests");
    }

    @Test
    void theEngineValidatesInConfigureAndNeedsItBeforeOpen() {
        ZooKeeperEngine engine = new ZooKeeperEngine();
        assertEquals("zookeeper", engine.name());
        assertThrows(IllegalStateException.class, () -> engine.open(null));
        assertThrows(ConfigException.class, () -> engine.configure(Map.of("connect", "h:x")));
    }

    private static void assertMessage(Map<String, String> config, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> ZooKeeperSettings.parse(config));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
