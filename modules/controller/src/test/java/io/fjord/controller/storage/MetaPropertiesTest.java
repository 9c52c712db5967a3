package io.fjord.controller.storage;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meta.properties} in Kafka's KRaft format. Kafka's MetaProperties class is not in
 * kafka-clients, so the oracle is the documented format: a Java properties file with
 * {@code version=1}, {@code cluster.id}, {@code node.id} and optionally {@code directory.id}, with
 * ids in Kafka's Uuid text form.
 */
class MetaPropertiesTest {

    @Test
    void writesKafkasKeysAndIdsKafkaCanParse(@TempDir Path dir) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        String directoryId = Uuid.randomUuid().toString();
        new MetaProperties(clusterId, 3, directoryId).write(dir);

        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("meta.properties"), StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        assertEquals(Set.of("version", "cluster.id", "node.id", "directory.id"), props.stringPropertyNames());
        assertEquals("1", props.getProperty("version"));
        assertEquals("3", props.getProperty("node.id"));
        assertEquals(Uuid.fromString(clusterId), Uuid.fromString(props.getProperty("cluster.id")));
        assertEquals(Uuid.fromString(directoryId), Uuid.fromString(props.getProperty("directory.id")));

        List<String> lines = Files.readAllLines(dir.resolve("meta.properties"));
        assertEquals("#", lines.get(0), "Kafka writes an empty comment line first");
        assertTrue(lines.get(1).startsWith("#") && lines.get(1).length() > 10, "then the date line: " + lines.get(1));
        assertEquals(new MetaProperties(clusterId, 3, directoryId), MetaProperties.read(dir).orElseThrow());
    }

    @Test
    void readsAFileAsKafkaWritesIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("meta.properties"), String.join("\n",
                "#",
                "#Sun Nov 22 05:00:00 UTC 2026",
                "node.id=1",
                "directory.id=J8aAPcfLQt2bqs1JT_rMgQ",
                "version=1",
                "cluster.id=MkU3OEVBNTcwNTJENDM2Qk",
                ""));
        assertEquals(new MetaProperties("MkU3OEVBNTcwNTJENDM2Qk", 1, "J8aAPcfLQt2bqs1JT_rMgQ"),
                MetaProperties.read(dir).orElseThrow());
    }

    @Test
    void absentFileIsEmpty(@TempDir Path dir) throws IOException {
        assertTrue(MetaProperties.read(dir).isEmpty());
    }

    @Test
    void zookeeperEraAndIncompleteFilesAreRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("meta.properties"), "version=0\nbroker.id=1\ncluster.id=abc\n");
        IOException e = assertThrows(IOException.class, () -> MetaProperties.read(dir));
        assertTrue(e.getMessage().contains("version 0"), e.getMessage());

        Files.writeString(dir.resolve("meta.properties"), "version=1\ncluster.id=MkU3OEVBNTcwNTJENDM2Qk\n");
        e = assertThrows(IOException.class, () -> MetaProperties.read(dir));
        assertTrue(e.getMessage().contains("no node.id"), e.getMessage());

        Files.writeString(dir.resolve("meta.properties"), "version=1\nnode.id=x\ncluster.id=MkU3OEVBNTcwNTJENDM2Qk\n");
        e = assertThrows(IOException.class, () -> MetaProperties.read(dir));
        assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
    }
}
