package io.fjord.controller.storage;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A log dir's {@code meta.properties} in Kafka's KRaft format (version 1): a Java properties file
 * with {@code version=1}, {@code cluster.id} and {@code node.id}, and, from Kafka 3.7 on, an
 * optional {@code directory.id}. Kafka's brokers and its {@code kafka-storage} tool read what
 * Fjord writes, and the other way round.
 *
 * <p>Invariant: a log dir belongs to exactly one cluster and one node for its whole life; a
 * broker started with a different {@code node.id} or cluster id must refuse the dir.
 *
 * @param clusterId   the cluster id, 22 characters of base64url
 * @param nodeId      the node that owns the dir
 * @param directoryId the dir's own id, or null when the file has none
 */
public record MetaProperties(String clusterId, int nodeId, String directoryId) {

    /** The file name in every log dir. */
    public static final String FILE_NAME = "meta.properties";
    /** The only format version Fjord reads and writes: Kafka's KRaft version. */
    public static final int VERSION = 1;

    public MetaProperties {
        Objects.requireNonNull(clusterId, "clusterId");
    }

    /**
     * Reads the dir's {@code meta.properties}.
     *
     * @return empty if the dir has no such file (a new dir)
     * @throws IOException if the file cannot be read or is not a version 1 file with a cluster id and node id
     */
    public static Optional<MetaProperties> read(Path logDir) throws IOException {
        Path file = logDir.resolve(FILE_NAME);
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String version = props.getProperty("version");
        if (version == null) {
            throw new IOException(file + " has no version property");
        }
        if (!version.trim().equals(Integer.toString(VERSION))) {
            throw new IOException(file + " has version " + version.trim() + "; only version " + VERSION
                    + " (KRaft) is supported. A version 0 file comes from a ZooKeeper-mode broker, whose"
                    + " log dirs must be migrated first.");
        }
        String clusterId = props.getProperty("cluster.id");
        if (clusterId == null || clusterId.isBlank()) {
            throw new IOException(file + " has no cluster.id property");
        }
        String nodeId = props.getProperty("node.id");
        if (nodeId == null) {
            throw new IOException(file + " has no node.id property");
        }
        int parsedNodeId;
        try {
            parsedNodeId = Integer.parseInt(nodeId.trim());
        } catch (NumberFormatException e) {
            throw new IOException(file + " has a node.id that is not an integer: " + nodeId, e);
        }
        return Optional.of(new MetaProperties(clusterId.trim(), parsedNodeId, props.getProperty("directory.id")));
    }

    /** Durably writes this as the dir's {@code meta.properties}, replacing any existing file atomically. */
    public void write(Path logDir) throws IOException {
        Properties props = new Properties();
        props.setProperty("version", Integer.toString(VERSION));
        props.setProperty("cluster.id", clusterId);
        props.setProperty("node.id", Integer.toString(nodeId));
        if (directoryId != null) {
            props.setProperty("directory.id", directoryId);
        }
        StringWriter text = new StringWriter();
        // An empty comment, then the date line Properties.store always adds: the header Kafka writes.
        props.store(text, "");
        AtomicFiles.write(logDir.resolve(FILE_NAME), ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
