package io.fjord.controller;

import io.fjord.api.ConfigException;
import io.fjord.controller.storage.MetaProperties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The log dirs' {@code meta.properties}, which tie every dir to one node of one cluster: a dir of
 * another node or cluster is refused, so data is never mixed up, and a new dir is stamped.
 */
public final class LogDirs {

    private LogDirs() {
    }

    /** The {@code meta.properties} found in the log dirs and the metadata dir, checked against {@code node.id}. */
    static Map<Path, MetaProperties> readMeta(ControllerConfig config) throws IOException {
        Map<Path, MetaProperties> found = new LinkedHashMap<>();
        for (Path dir : dirs(config)) {
            Files.createDirectories(dir);
            Optional<MetaProperties> meta = MetaProperties.read(dir);
            if (meta.isPresent()) {
                checkNodeId(dir, meta.get(), config.nodeId());
                found.put(dir, meta.get());
            }
        }
        return found;
    }

    /**
     * Checks every dir against this node and cluster, and stamps the dirs that have no
     * {@code meta.properties} yet.
     *
     * @param clusterId the cluster's id when the cluster decides it (the coordination store), or
     *                  null to take it from the dirs, from {@code fjord.cluster.id}, or a new one
     * @return the cluster id
     * @throws ConfigException if a dir belongs to another node or cluster
     */
    public static String claim(ControllerConfig config, String clusterId) throws IOException {
        Map<Path, MetaProperties> found = readMeta(config);
        String id = clusterId(config, clusterId, found);
        for (Path dir : dirs(config)) {
            if (!found.containsKey(dir)) {
                new MetaProperties(id, config.nodeId(), ClusterIds.toString(ClusterIds.randomId())).write(dir);
            }
        }
        return id;
    }

    private static List<Path> dirs(ControllerConfig config) {
        List<Path> dirs = new ArrayList<>(config.logDirs());
        if (!dirs.contains(config.metadataLogDir())) {
            dirs.add(config.metadataLogDir());
        }
        return dirs;
    }

    private static void checkNodeId(Path dir, MetaProperties meta, int nodeId) {
        if (meta.nodeId() != nodeId) {
            throw new ConfigException("Stored node id " + meta.nodeId() + " doesn't match previous node id "
                    + nodeId + " in " + dir + ". If you moved your data, make sure your configured node id matches."
                    + " If you intend to create a new node, you should remove all data in your data directories.");
        }
    }

    private static String clusterId(ControllerConfig config, String fromCluster, Map<Path, MetaProperties> found) {
        String clusterId = fromCluster != null ? fromCluster : config.clusterId();
        Path source = null;
        for (Map.Entry<Path, MetaProperties> e : found.entrySet()) {
            String stored = e.getValue().clusterId();
            if (clusterId == null) {
                clusterId = stored;
                source = e.getKey();
            } else if (!clusterId.equals(stored)) {
                String expectedFrom = source != null ? source.resolve(MetaProperties.FILE_NAME).toString()
                        : fromCluster != null ? "the cluster" : "fjord.cluster.id";
                throw new ConfigException("Invalid cluster.id in: " + e.getKey().resolve(MetaProperties.FILE_NAME)
                        + ". Expected " + clusterId + " (from " + expectedFrom + "), but read " + stored + ".");
            }
        }
        return clusterId != null ? clusterId : ClusterIds.toString(ClusterIds.randomId());
    }
}
