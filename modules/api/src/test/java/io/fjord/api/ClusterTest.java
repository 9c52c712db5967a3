package io.fjord.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterTest {

    private final Node n1 = new Node(1, "127.0.0.1", 9092);
    private final Node n2 = new Node(2, "127.0.0.1", 9093, Optional.of("r2"));

    private Cluster cluster() {
        return new Cluster("c1", List.of(n1, n2), List.of(
                new PartitionInfo("b", 1, Optional.empty(), List.of(n1), List.of()),
                new PartitionInfo("b", 0, Optional.of(n2), List.of(n2), List.of(n2)),
                new PartitionInfo("a", 0, Optional.of(n1), List.of(n1, n2), List.of(n1))));
    }

    @Test
    void partitionsAreGroupedAndOrderedAndAvailabilityFollowsLeaders() {
        Cluster c = cluster();
        assertEquals(List.of("a", "b"), List.copyOf(c.topics()));
        assertEquals(List.of(0, 1), c.partitionsForTopic("b").stream().map(PartitionInfo::partition).toList());
        assertEquals(List.of(0), c.availablePartitionsForTopic("b").stream().map(PartitionInfo::partition).toList());
        assertEquals(Optional.of(2), c.partitionCountForTopic("b"));
        assertEquals(Optional.empty(), c.partitionCountForTopic("missing"));
        assertTrue(c.partitionsForTopic("missing").isEmpty());
        assertEquals(Optional.of(n2), c.nodeById(2));
        assertEquals(Optional.of(n2), c.partition(new TopicPartition("b", 0)).flatMap(PartitionInfo::leader));
        assertEquals(Optional.empty(), c.partition(new TopicPartition("b", 7)));
        assertEquals(Optional.of("c1"), c.clusterId());
    }

    @Test
    void topicPartitionsOrderByTopicThenNumberAndPrintAsKafkaFolders() {
        List<TopicPartition> sorted = List.of(new TopicPartition("b", 0), new TopicPartition("a", 10),
                new TopicPartition("a", 2)).stream().sorted().toList();
        assertEquals(List.of(new TopicPartition("a", 2), new TopicPartition("a", 10), new TopicPartition("b", 0)), sorted);
        assertEquals("orders-3", new TopicPartition("orders", 3).toString());
        assertThrows(IllegalArgumentException.class, () -> new TopicPartition("t", -1));
    }

    @Test
    void headersKeepOrderAndRefuseChangesOnceSealed() {
        Headers h = new Headers().add("k", new byte[] {1}).add("x", null).add("k", new byte[] {2});
        assertEquals(2, h.lastHeader("k").value()[0]);
        assertEquals(2, h.headers("k").size());
        assertEquals(new Header("x", null), h.lastHeader("x"));
        h.setReadOnly();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> h.add("y", null));
        assertTrue(e.getMessage().contains("read-only"));
        assertEquals(3, h.size());
    }

    @Test
    void timestampTypesUseKafkasConfigSpelling() {
        assertEquals(TimestampType.LOG_APPEND_TIME, TimestampType.forConfigName("LogAppendTime"));
        ConfigException e = assertThrows(ConfigException.class, () -> TimestampType.forConfigName("logappendtime"));
        assertTrue(e.getMessage().contains("message.timestamp.type"), e.getMessage());
    }
}
