package io.fjord.plugin.keyprefix;

import io.fjord.api.Cluster;
import io.fjord.api.ConfigException;
import io.fjord.api.Node;
import io.fjord.api.PartitionInfo;
import io.fjord.api.producer.Partitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KeyPrefixPartitionerTest {

    private static final Node NODE = new Node(1, "127.0.0.1", 9092);
    private static final Cluster FOUR_PARTITIONS = new Cluster("c", List.of(NODE), IntStream.range(0, 4)
            .mapToObj(p -> new PartitionInfo("t", p, Optional.of(NODE), List.of(NODE), List.of(NODE))).toList());

    private static int partition(KeyPrefixPartitioner partitioner, String key) {
        byte[] bytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        return partitioner.partition("t", key, bytes, "v", new byte[1], FOUR_PARTITIONS);
    }

    @Test
    void routedPrefixesGoToTheirPartitionAndOthersStayTogether() {
        KeyPrefixPartitioner partitioner = new KeyPrefixPartitioner();
        partitioner.configure(Map.of("routes", "eu:3, us:1"));
        assertEquals(3, partition(partitioner, "eu:order-1"));
        assertEquals(3, partition(partitioner, "eu:order-2"));
        assertEquals(1, partition(partitioner, "us:x"));
        assertEquals(partition(partitioner, "ap:1"), partition(partitioner, "ap:2"));
        assertEquals(Math.floorMod("ap".hashCode(), 4), partition(partitioner, "ap:1"));
        assertEquals(0, partition(partitioner, null));
    }

    @Test
    void theSeparatorIsASetting() {
        KeyPrefixPartitioner partitioner = new KeyPrefixPartitioner();
        partitioner.configure(Map.of("routes", "eu:2", "separator", "/"));
        assertEquals(2, partition(partitioner, "eu/order-1"));
        assertEquals("eu:order-1", partitioner.prefixOf("eu:order-1"));
    }

    @Test
    void badRoutesAreRefusedWithTheSetting() {
        KeyPrefixPartitioner partitioner = new KeyPrefixPartitioner();
        assertThrows(ConfigException.class, () -> partitioner.configure(Map.of("routes", "eu")));
        assertThrows(ConfigException.class, () -> partitioner.configure(Map.of("routes", "eu:x")));
        assertThrows(ConfigException.class, () -> partitioner.configure(Map.of("routes", "eu:-1")));
        assertThrows(ConfigException.class, () -> partitioner.configure(Map.of("separator", "")));
    }

    @Test
    void theModuleProvidesItUnderItsName() {
        KeyPrefixPartitionerTest.class.getModule().addUses(Partitioner.class);
        List<String> names = ServiceLoader.load(Partitioner.class).stream().map(p -> p.get().name()).toList();
        assertEquals(List.of("key-prefix"), names);
        assertEquals("io.fjord.plugin.keyprefix", KeyPrefixPartitioner.class.getModule().getName());
    }
}
