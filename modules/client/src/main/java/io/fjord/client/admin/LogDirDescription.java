package io.fjord.client.admin;

import io.fjord.api.TopicPartition;
import io.fjord.common.errors.Errors;

import java.util.Map;

/**
 * One log dir of a broker as DescribeLogDirs reports it.
 *
 * @param error NONE, or why the dir cannot be used (such as KAFKA_STORAGE_ERROR)
 * @param totalBytes the volume's size, or -1 when the broker does not say
 * @param usableBytes the space left on the volume, or -1 when the broker does not say
 */
public record LogDirDescription(Errors error, Map<TopicPartition, ReplicaInfo> replicas, long totalBytes,
                                long usableBytes) {

    public LogDirDescription {
        replicas = Map.copyOf(replicas);
    }

    /** A replica in the dir: its size in bytes and how far it is behind the log end (0 for a current one). */
    public record ReplicaInfo(long size, long offsetLag, boolean isFuture) {
    }
}
