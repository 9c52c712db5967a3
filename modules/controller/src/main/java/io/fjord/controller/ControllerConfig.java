package io.fjord.controller;

import io.fjord.api.ConfigException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The broker settings the metadata store needs, read from {@code server.properties} with Kafka's
 * names and defaults. The whole property map is kept, because broker-level topic config defaults
 * ({@code log.retention.hours}, {@code log.segment.bytes}, ...) are read from it too.
 *
 * @param nodeId                        {@code node.id}, required
 * @param logDirs                       {@code log.dirs}, else {@code log.dir}; every dir gets a {@code meta.properties}
 * @param metadataLogDir                {@code metadata.log.dir}, else the first log dir; holds the topic metadata
 * @param clusterId                     {@code fjord.cluster.id}: the cluster id to format new log dirs with, or null for a random one
 * @param numPartitions                 {@code num.partitions}, default 1
 * @param defaultReplicationFactor      {@code default.replication.factor}, default 1
 * @param autoCreateTopicsEnable        {@code auto.create.topics.enable}, default true
 * @param offsetsTopicNumPartitions     {@code offsets.topic.num.partitions}, default 50
 * @param offsetsTopicReplicationFactor {@code offsets.topic.replication.factor}, default 3
 * @param offsetsTopicSegmentBytes      {@code offsets.topic.segment.bytes}, default 100 MiB
 * @param properties                    every broker property, for broker-level topic config defaults
 */
public record ControllerConfig(int nodeId, List<Path> logDirs, Path metadataLogDir, String clusterId,
                               int numPartitions, int defaultReplicationFactor, boolean autoCreateTopicsEnable,
                               int offsetsTopicNumPartitions, int offsetsTopicReplicationFactor,
                               int offsetsTopicSegmentBytes, Map<String, String> properties) {

    public ControllerConfig {
        logDirs = List.copyOf(logDirs);
        Objects.requireNonNull(metadataLogDir, "metadataLogDir");
        properties = Map.copyOf(properties);
        if (logDirs.isEmpty()) {
            throw new ConfigException("log.dirs must name at least one directory");
        }
    }

    /**
     * Reads the settings from broker properties.
     *
     * @throws ConfigException if {@code node.id} or the log dirs are missing, or a value is malformed
     */
    public static ControllerConfig from(Map<String, String> properties) {
        String nodeIdValue = properties.get("node.id");
        if (nodeIdValue == null) {
            throw new ConfigException("Missing required configuration node.id which has no default value.");
        }
        int nodeId = intAtLeast(properties, "node.id", 0, 0);
        String dirs = properties.getOrDefault("log.dirs", properties.get("log.dir"));
        if (dirs == null || dirs.isBlank()) {
            throw new ConfigException("Missing required configuration log.dirs (or log.dir): where the logs and metadata live.");
        }
        List<Path> logDirs = new ArrayList<>();
        for (String dir : TopicConfigs.parseList(dirs)) {
            Path path = Path.of(dir).toAbsolutePath().normalize();
            if (logDirs.contains(path)) {
                throw new ConfigException("log.dirs", dirs, "no duplicate directories");
            }
            logDirs.add(path);
        }
        String metadataDir = properties.get("metadata.log.dir");
        Path metadataLogDir = metadataDir == null || metadataDir.isBlank()
                ? logDirs.get(0) : Path.of(metadataDir.trim()).toAbsolutePath().normalize();
        String clusterId = properties.get("fjord.cluster.id");
        if (clusterId != null) {
            clusterId = clusterId.trim();
            if (!ClusterIds.isValid(clusterId)) {
                throw new ConfigException("fjord.cluster.id", clusterId,
                        "a cluster id: 22 characters of base64url (a 16-byte UUID without padding)");
            }
        }
        String autoCreate = properties.getOrDefault("auto.create.topics.enable", "true").trim();
        if (!autoCreate.equalsIgnoreCase("true") && !autoCreate.equalsIgnoreCase("false")) {
            throw new ConfigException("auto.create.topics.enable", autoCreate, "true or false");
        }
        return new ControllerConfig(nodeId, logDirs, metadataLogDir, clusterId,
                intAtLeast(properties, "num.partitions", 1, 1),
                intAtLeast(properties, "default.replication.factor", 1, 1),
                Boolean.parseBoolean(autoCreate),
                intAtLeast(properties, "offsets.topic.num.partitions", 50, 1),
                intAtLeast(properties, "offsets.topic.replication.factor", 3, 1),
                intAtLeast(properties, "offsets.topic.segment.bytes", 100 * 1024 * 1024, 1),
                properties);
    }

    private static int intAtLeast(Map<String, String> properties, String key, int defaultValue, int min) {
        String value = properties.get(key);
        if (value == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "an integer");
        }
        if (parsed < min) {
            throw new ConfigException(key, value, "at least " + min);
        }
        return parsed;
    }
}
